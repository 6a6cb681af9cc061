import HTTPTypes

/// Header names the web pages use that swift-http-types does not name (each a valid token, so
/// building the name cannot fail).
extension HTTPField.Name {
    static var xFrameOptions: Self { Self("X-Frame-Options")! }
    static var referrerPolicy: Self { Self("Referrer-Policy")! }
    static var crossOriginOpenerPolicy: Self { Self("Cross-Origin-Opener-Policy")! }
    static var serverTiming: Self { Self("Server-Timing")! }
    /// What a browser says about who sent a request (`same-origin`, `same-site`, `cross-site`, `none`).
    static var secFetchSite: Self { Self("Sec-Fetch-Site")! }
    /// On an export of a partial answer: the partitions it lacks.
    static var quotewireMissingPartitions: Self { Self("Quotewire-Missing-Partitions")! }
}
