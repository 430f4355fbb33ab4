package com.cdp.groups.task;

import com.cdp.model.groups.AssignmentObject;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** A {@link FileStore} and {@link RunRecords} in memory, for tests without the stand-ins. */
final class InMemoryFiles implements FileStore, RunRecords {
  final Map<String, byte[]> objects = new ConcurrentHashMap<>();
  private final Map<String, String> runs = new ConcurrentHashMap<>();

  @Override
  public InputStream open(AssignmentObject object) {
    byte[] bytes = objects.get(object.key());
    if (bytes == null) {
      throw new InputUnavailableException(object.describe() + " does not exist", null);
    }
    return new ByteArrayInputStream(bytes);
  }

  @Override
  public void put(String bucket, String key, Path file, String contentType) {
    try {
      objects.put(key, Files.readAllBytes(file));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public boolean begin(AssignmentObject object, String taskId, Duration lease) {
    return runs.putIfAbsent(object.runId(), "running") == null;
  }

  @Override
  public void complete(AssignmentObject object, String reportKey, String status) {
    runs.put(object.runId(), reportKey);
  }

  @Override
  public void abandon(AssignmentObject object, String taskId) {
    runs.remove(object.runId());
  }

  @Override
  public Optional<String> report(AssignmentObject object) {
    return Optional.ofNullable(runs.get(object.runId()));
  }
}
