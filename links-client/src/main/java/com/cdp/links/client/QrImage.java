package com.cdp.links.client;

/** A link's QR code: {@code image/png} or {@code image/svg+xml} bytes. */
public record QrImage(String contentType, byte[] bytes) {}
