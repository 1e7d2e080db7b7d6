"""The Scrapy project of hearing-watch: settings and one spider per source."""
