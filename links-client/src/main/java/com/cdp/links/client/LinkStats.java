package com.cdp.links.client;

import java.time.LocalDate;
import java.util.SortedMap;

/** Visits per day (UTC) over the last {@code days} days; days without visits are absent. */
public record LinkStats(
    String code, int days, long total, SortedMap<LocalDate, Long> visitsPerDay) {}
