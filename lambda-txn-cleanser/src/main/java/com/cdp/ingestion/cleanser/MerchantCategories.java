package com.cdp.ingestion.cleanser;

/** Merchant category codes (ISO 18245) to the platform's spending categories. */
final class MerchantCategories {
  private MerchantCategories() {}

  /** The category of a 4-digit code, or null when the code is not mapped. */
  static String of(String mcc) {
    int code;
    try {
      code = Integer.parseInt(mcc);
    } catch (NumberFormatException e) {
      return null;
    }
    if (code >= 3000 && code <= 3299 || code == 4511 || code == 4722) {
      return "Travel";
    }
    if (code >= 3501 && code <= 3999 || code == 7011) {
      return "Travel";
    }
    return switch (code) {
      case 5411, 5422, 5441, 5451, 5462, 5499 -> "Groceries";
      case 5811, 5812, 5813, 5814 -> "Dining";
      case 5541, 5542, 5983 -> "Gas & Fuel";
      case 4111, 4112, 4121, 4131, 4784, 4789, 7523 -> "Transportation";
      case 4812, 4814, 4816, 4899, 4900 -> "Utilities & Telecom";
      case 5912, 8011, 8021, 8031, 8041, 8042, 8043, 8049, 8050, 8062, 8071, 8099 -> "Health";
      case 5200, 5211, 5231, 5251, 5261, 5712 -> "Home";
      case 5300, 5310, 5311, 5331, 5399, 5651, 5691, 5699, 5732, 5942, 5945, 5999 -> "Shopping";
      case 6010, 6011 -> "Cash";
      case 6300, 6381 -> "Insurance";
      case 7832, 7841, 7922, 7991, 7996, 5815, 5816, 5817, 5818 -> "Entertainment";
      case 8211, 8220, 8241, 8244, 8249, 8299 -> "Education";
      case 9311 -> "Taxes";
      case 9222, 9399, 9402 -> "Government";
      case 8398, 8661 -> "Charity";
      default -> null;
    };
  }
}
