package com.cdp.links;

import java.security.SecureRandom;

/** Where random link codes come from; tests pass a deterministic source to force collisions. */
@FunctionalInterface
public interface CodeSource {
  String next();

  /** Base62 alphabet of the codes. */
  String ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

  /** Default code length: 62^8 ≈ 2.2e14 codes, so guessing a live code is impractical. */
  int DEFAULT_LENGTH = 8;

  /** Uniform base62 codes from {@link SecureRandom} (rejection sampling: no modulo bias). */
  static CodeSource secureRandom(int length) {
    if (length < 7 || length > 32) {
      throw new IllegalArgumentException("code length must be 7-32");
    }
    SecureRandom random = new SecureRandom();
    return () -> {
      char[] code = new char[length];
      byte[] buffer = new byte[length * 2];
      int filled = 0;
      while (filled < length) {
        random.nextBytes(buffer);
        for (int i = 0; i < buffer.length && filled < length; i++) {
          int v = buffer[i] & 0x3F; // 0..63: keep 0..61
          if (v < 62) {
            code[filled++] = ALPHABET.charAt(v);
          }
        }
      }
      return new String(code);
    };
  }
}
