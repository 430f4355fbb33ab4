package com.cdp.local.standin;

/** An object was written to the local S3 store (the local twin of an S3 ObjectCreated event). */
public record ObjectCreated(String bucket, String key, long size, String eTag) {}
