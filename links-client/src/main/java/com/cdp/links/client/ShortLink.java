package com.cdp.links.client;

import java.time.Instant;

/** A created link: {@code POST /links}'s answer. */
public record ShortLink(String code, String shortUrl, Instant expiresAt) {}
