import HTTPTypes
import Hummingbird
import NIOCore

/// `/static/site.css`, `/static/site.js` and `/static/icon.svg`, from the binary, each with
/// its exact type (the pages send `nosniff`) and an hour of caching.
enum WebAssetRoutes {
    static var routes: [String] { ["/static/site.css", "/static/site.js", "/static/icon.svg"] }

    static func register<Context: RequestContext>(on router: Router<Context>) {
        for (path, bytes, type) in [("static/site.css", WebAssets.stylesheet, "text/css; charset=utf-8"),
                                    ("static/site.js", WebAssets.script, "text/javascript; charset=utf-8"),
                                    ("static/icon.svg", WebAssets.icon, "image/svg+xml")] {
            let buffer = ByteBuffer(bytes: bytes)
            router.get(RouterPath(path)) { _, _ in
                Response(status: .ok, headers: [.contentType: type, .cacheControl: "public, max-age=3600"],
                         body: ResponseBody(byteBuffer: buffer))
            }
        }
    }
}
