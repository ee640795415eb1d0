// The tracing runtime lives here in a user's repository; the cases only import it.
