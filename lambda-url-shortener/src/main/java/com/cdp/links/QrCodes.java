package com.cdp.links;

import com.cdp.http.ApiError;
import com.google.zxing.BarcodeFormat;
import com.google.zxing.EncodeHintType;
import com.google.zxing.WriterException;
import com.google.zxing.common.BitMatrix;
import com.google.zxing.qrcode.QRCodeWriter;
import com.google.zxing.qrcode.decoder.ErrorCorrectionLevel;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * QR codes of short URLs with ZXing: PNG (through {@code ImageIO}) or SVG (one path of the matrix's
 * dark modules). Error correction M, a 4-module quiet zone.
 */
final class QrCodes {
  /** PNG size in pixels. */
  static final int PNG_SIZE = 300;

  public enum Format {
    PNG("image/png"),
    SVG("image/svg+xml");

    private final String contentType;

    Format(String contentType) {
      this.contentType = contentType;
    }

    public String contentType() {
      return contentType;
    }

    /** From {@code ?format=} (png, svg) or else the {@code Accept} header; PNG by default. */
    public static Format choose(String format, String accept) {
      if (format != null) {
        return switch (format.toLowerCase(Locale.ROOT)) {
          case "png" -> PNG;
          case "svg" -> SVG;
          default -> throw ApiError.badRequest("invalid_format", "format must be png or svg");
        };
      }
      if (accept != null && accept.contains("image/svg+xml") && !accept.contains("image/png")) {
        return SVG;
      }
      return PNG;
    }
  }

  private QrCodes() {}

  public static byte[] render(String text, Format format) {
    BitMatrix matrix;
    try {
      matrix =
          new QRCodeWriter()
              .encode(
                  text,
                  BarcodeFormat.QR_CODE,
                  format == Format.PNG ? PNG_SIZE : 0,
                  format == Format.PNG ? PNG_SIZE : 0,
                  Map.of(
                      EncodeHintType.ERROR_CORRECTION,
                      ErrorCorrectionLevel.M,
                      EncodeHintType.MARGIN,
                      4));
    } catch (WriterException e) {
      throw new IllegalStateException("could not encode a QR code", e);
    }
    return format == Format.PNG ? png(matrix) : svg(matrix);
  }

  private static byte[] png(BitMatrix matrix) {
    BufferedImage image =
        new BufferedImage(matrix.getWidth(), matrix.getHeight(), BufferedImage.TYPE_BYTE_BINARY);
    for (int y = 0; y < matrix.getHeight(); y++) {
      for (int x = 0; x < matrix.getWidth(); x++) {
        image.setRGB(x, y, matrix.get(x, y) ? 0xFF000000 : 0xFFFFFFFF);
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      ImageIO.write(image, "png", out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** With size 0 ZXing returns one pixel per module, so the SVG's user units are modules. */
  private static byte[] svg(BitMatrix matrix) {
    StringBuilder path = new StringBuilder();
    for (int y = 0; y < matrix.getHeight(); y++) {
      for (int x = 0; x < matrix.getWidth(); x++) {
        if (matrix.get(x, y)) {
          path.append('M').append(x).append(',').append(y).append("h1v1h-1z");
        }
      }
    }
    String svg =
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 "
            + matrix.getWidth()
            + " "
            + matrix.getHeight()
            + "\" shape-rendering=\"crispEdges\"><rect width=\"100%\" height=\"100%\""
            + " fill=\"#fff\"/><path fill=\"#000\" d=\""
            + path
            + "\"/></svg>";
    return svg.getBytes(StandardCharsets.UTF_8);
  }
}
