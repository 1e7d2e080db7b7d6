"""The Scrapy side of the library: the base spider, shared extractors and the item pipelines."""
