package io.jasynq.dashboard;

/** A request the API refuses: the HTTP status and a message for the JSON {@code error} field. */
final class ApiError extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int status;

  ApiError(int status, String message) {
    super(message, null, false, false);
    this.status = status;
  }

  static ApiError badRequest(String message) {
    return new ApiError(400, message);
  }

  static ApiError notFound(String message) {
    return new ApiError(404, message);
  }

  static ApiError forbidden(String message) {
    return new ApiError(403, message);
  }

  int status() {
    return status;
  }
}
