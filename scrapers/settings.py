"""Scrapy settings for hearing-watch. Command line > spider > these project settings."""

BOT_NAME = "hearing-watch"
SPIDER_MODULES = ["scrapers.spiders"]
NEWSPIDER_MODULE = "scrapers.spiders"

# Name the project and a contact URL so site operators know who is calling.
USER_AGENT = "hearing-watch/0.1 (+https://github.com/hearing-watch/hearing-watch)"

# Polite defaults: these are small government offices' sites.
ROBOTSTXT_OBEY = True
CONCURRENT_REQUESTS = 8
CONCURRENT_REQUESTS_PER_DOMAIN = 2
DOWNLOAD_DELAY = 1.0
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
RETRY_ENABLED = True
RETRY_TIMES = 3
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]
DOWNLOAD_TIMEOUT = 60
# The download size cap: a page over it is dropped unread (a real hearing page is under 1 MB;
# 20 MB leaves room for any, and stops a runaway or hostile body from filling memory).
# Config: [crawl] max_page_bytes; the crawl summary names each page that hit it.
DOWNLOAD_MAXSIZE = 20 * 1024 * 1024
DOWNLOAD_WARNSIZE = 5 * 1024 * 1024
# The longest Retry-After we wait out before a retry; a longer one gives the page up at once.
HEARING_WATCH_RETRY_AFTER_MAX = 30.0
HTTPCACHE_ENABLED = False
TELNETCONSOLE_ENABLED = False
# Scrapy 2.19 starts an HTTP server in every crawl that runs Python code sent to it (for its MCP
# server), and leaves a job file with its token in the user's profile: a crawl needs neither, and
# loading it (aiohttp) cost every crawl process ~0.25 s of CPU.
REMOTE_CONTROL_ENABLED = False
EXTENSIONS = {"scrapy.extensions.remote_control.RemoteControl": None}

# The pipelines live in the library; their order lives only here.
ITEM_PIPELINES = {
    "hearing_watch.scraping.pipelines.NormalizePipeline": 100,
    "hearing_watch.scraping.pipelines.StorePipeline": 200,
}

# Conditional requests for detail pages, and the visit policy (see the module's docstring).
# 580: its responses are already decompressed (590) when it hashes them.
# Retries honour Retry-After; pages given up on, and redirect loops, are named in the summary;
# pages labelled UTF-8 that are Windows-1252 are read as such (see each module's docstring).
# 595: a compressed body is checked to end properly before Scrapy decompresses it (590).
DOWNLOADER_MIDDLEWARES = {
    "hearing_watch.scraping.compressed.CompleteBodyMiddleware": 595,
    "hearing_watch.scraping.incremental.IncrementalMiddleware": 580,
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "hearing_watch.scraping.retry_after.RetryAfterMiddleware": 550,
    "hearing_watch.scraping.fetch_failures.FetchFailureMiddleware": 540,
    "scrapy.downloadermiddlewares.redirect.RedirectMiddleware": None,
    "scrapy.downloadermiddlewares.offsite.OffsiteMiddleware": None,
    "hearing_watch.scraping.fetch_failures.OffsiteRecordingMiddleware": 50,
    "hearing_watch.scraping.fetch_failures.RedirectLimitMiddleware": 600,
    "hearing_watch.scraping.encoding.EncodingRepairMiddleware": 560,
}

# A page whose callback raised is named in the crawl summary (its traceback stays in the log).
# 40: exceptions go through spider middlewares from the highest number down, so the HTTP error
# middleware (50) has taken its own (error statuses, already named as fetch failures) first.
SPIDER_MIDDLEWARES = {
    "hearing_watch.scraping.page_errors.PageErrorMiddleware": 40,
}

REQUEST_FINGERPRINTER_IMPLEMENTATION = "2.7"
FEED_EXPORT_ENCODING = "utf-8"
LOG_LEVEL = "INFO"
