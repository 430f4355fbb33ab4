package com.cdp.links.client;

import java.util.List;

/** One page of {@code GET /links}; {@code nextCursor} is null on the last page. */
public record LinkPage(List<LinkInfo> links, String nextCursor) {}
