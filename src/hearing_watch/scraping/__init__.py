"""The Scrapy side of the library: base spiders, shared extractors, middlewares and pipelines.

The spider project (``scrapers/``) keeps only spiders and settings; everything they share is here.
Use this package, not its modules. Its public face:

- Base spiders: :class:`HearingSpider` (with :func:`slug_of` and :data:`HTTP_ERRORS`),
  :class:`CommitteeSpider` (House and Senate committee filters), :class:`ListingSpider` and
  :class:`LinkListingSpider` (a listing walked to its detail pages).
- :class:`HousePlatformSpider` and its helpers, for the House's shared site platform that the
  Helsinki Commission and the Tom Lantos Commission sites use: :class:`ListingRow`,
  :class:`ClassIndex`, :func:`fill_from_row`, :func:`kind_from_path`, :func:`parse_page_title`,
  :func:`parse_witnesses` / :func:`parse_witnesses_in`, :func:`parse_links` /
  :func:`parse_link_elements`, :func:`find_video_url` / :func:`find_video_url_in`,
  :func:`answered_by_template`.
- Extractors over a page's text lines and elements: :class:`Node`, :func:`page_lines`,
  :func:`first_text`, :func:`main_block`, :func:`selector_of`, :func:`roots_of`, :func:`html_of`,
  :func:`text_of`, :func:`text_of_elements`, :func:`clean`; and the ``fallback`` module, the
  reader for pages whose markup changed.
- Incremental crawling: the request meta keys (:data:`DETAIL_META`, :data:`MANY_META`,
  :data:`CONTINUE_META`, :data:`FULL_FETCH_META`, :data:`PARTS_META`, :data:`UNCHANGED_META`),
  :class:`VisitPlan`, :func:`request_meta`, :func:`page_part`; the rules of which pages to
  revisit are in ``visit_policy``.
- For the crawl worker: :class:`DetailWorkers`, :data:`WORKER_DIED`, :func:`link_rewrite_setting`,
  :func:`flush_events` (the progress lines a running crawl has not sent yet).

Scrapy's settings name the middlewares and pipelines by their module path
(``hearing_watch.scraping.pipelines.StorePipeline`` ...), as Scrapy wants.
"""

from hearing_watch.scraping import fallback
from hearing_watch.scraping.detail_workers import DetailWorkers
from hearing_watch.scraping.house_platform import (
    ClassIndex,
    HousePlatformSpider,
    ListingRow,
    answered_by_template,
    fill_from_row,
    find_video_url,
    find_video_url_in,
    kind_from_path,
    parse_link_elements,
    parse_links,
    parse_page_title,
    parse_witnesses,
    parse_witnesses_in,
)
from hearing_watch.scraping.incremental import (
    CONTINUE_META,
    DETAIL_META,
    FULL_FETCH_META,
    MANY_META,
    PARTS_META,
    UNCHANGED_META,
    VisitPlan,
    page_part,
    request_meta,
)
from hearing_watch.scraping.lines import (
    Node,
    clean,
    first_text,
    html_of,
    main_block,
    page_lines,
    roots_of,
    selector_of,
    text_of,
    text_of_elements,
)
from hearing_watch.scraping.listing import LinkListingSpider, ListingSpider
from hearing_watch.scraping.pipelines import flush_events, link_rewrite_setting
from hearing_watch.scraping.spider import (
    HTTP_ERRORS,
    WORKER_DIED,
    CommitteeSpider,
    HearingSpider,
    slug_of,
)

__all__ = [
    "CONTINUE_META",
    "DETAIL_META",
    "FULL_FETCH_META",
    "HTTP_ERRORS",
    "MANY_META",
    "PARTS_META",
    "UNCHANGED_META",
    "WORKER_DIED",
    "ClassIndex",
    "CommitteeSpider",
    "DetailWorkers",
    "HearingSpider",
    "HousePlatformSpider",
    "LinkListingSpider",
    "ListingRow",
    "ListingSpider",
    "Node",
    "VisitPlan",
    "answered_by_template",
    "clean",
    "fallback",
    "fill_from_row",
    "find_video_url",
    "find_video_url_in",
    "first_text",
    "flush_events",
    "html_of",
    "kind_from_path",
    "link_rewrite_setting",
    "main_block",
    "page_lines",
    "page_part",
    "parse_link_elements",
    "parse_links",
    "parse_page_title",
    "parse_witnesses",
    "parse_witnesses_in",
    "request_meta",
    "roots_of",
    "selector_of",
    "slug_of",
    "text_of",
    "text_of_elements",
]
