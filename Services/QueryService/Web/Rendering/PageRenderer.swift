import HTTPTypes
import Hummingbird
import Mustache
import NIOCore

/// What every page shows around its content: the title, the search box (holding the query the
/// page is about), the partial-answer notice, the sign-out button.
struct Chrome: Sendable {
    var title: String
    var query = ""
    var searchBox = true
    /// Kept with the next search from the box (the order the results page was in).
    var sortValue: String?
    /// ``DisplayText/partialNotice(_:)``.
    var notice: String?
    var signedIn = false
}

/// Renders a page's view through its template. Templates escape every value (swift-mustache's
/// HTML content type escapes `& < > " '`); no template uses triple braces or lambdas, so nothing
/// from the index is read as markup.
struct PageRenderer: Sendable {
    let library: MustacheLibrary
    /// True when the pages ask for the token: they then show a sign-out button.
    let signInRequired: Bool

    init(signInRequired: Bool) throws {
        library = try WebAssets.library()
        self.signInRequired = signInRequired
    }

    /// `template` rendered with `view` (its properties by name) and `chrome` as an HTML response.
    func page(_ template: String, _ view: any Sendable, chrome: Chrome, status: HTTPResponse.Status = .ok) throws -> Response {
        var chrome = chrome
        chrome.signedIn = signInRequired
        guard let html = library.render(PageContext(view: view, chrome: chrome), withTemplate: template) else {
            throw APIErrorPage.missingTemplate(template)
        }
        return Response(status: status, headers: [.contentType: "text/html; charset=utf-8"],
                        body: ResponseBody(byteBuffer: ByteBuffer(string: html)))
    }
}

enum APIErrorPage: Error {
    case missingTemplate(String)
}

/// The root of a page's rendering: a name is looked up on the view first, then on the chrome.
/// A property that holds nil counts as absent (as swift-mustache reads optionals).
struct PageContext: MustacheParent {
    let view: Any
    let chrome: Chrome

    func child(named name: String) -> Any? {
        Self.property(name, of: view) ?? Self.property(name, of: chrome)
    }

    static func property(_ name: String, of object: Any) -> Any? {
        guard let value = Mirror(reflecting: object).children.first(where: { $0.label == name })?.value else { return nil }
        let mirror = Mirror(reflecting: value)
        guard mirror.displayStyle == .optional else { return value }
        return mirror.children.first?.value
    }
}
