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
DOWNLOAD_MAXSIZE = 20 * 1024 * 1024
DOWNLOAD_WARNSIZE = 5 * 1024 * 1024
HTTPCACHE_ENABLED = False
TELNETCONSOLE_ENABLED = False

# The pipelines live in the library; their order lives only here.
ITEM_PIPELINES = {
    "hearing_watch.scraping.pipelines.NormalizePipeline": 100,
    "hearing_watch.scraping.pipelines.StorePipeline": 200,
}

REQUEST_FINGERPRINTER_IMPLEMENTATION = "2.7"
FEED_EXPORT_ENCODING = "utf-8"
LOG_LEVEL = "INFO"
