package com.cdp.groups.task;

import com.cdp.model.groups.AssignmentObject;
import java.io.InputStream;
import java.nio.file.Path;

/** Where the task reads its input and writes its reports. Production: S3. */
interface FileStore {
  /**
   * Opens exactly the object version named.
   *
   * @throws InputUnavailableException when it does not exist (any more), changed, or cannot be read
   */
  InputStream open(AssignmentObject object);

  /** Writes a report object from a local file. */
  void put(String bucket, String key, Path file, String contentType);
}
