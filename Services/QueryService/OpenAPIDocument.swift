import Foundation
import HTTPSupport
import HTTPTypes

/// The OpenAPI 3.1 document of the service, kept in the repository as `openapi.json`
/// and shipped as a resource of this module.
public enum OpenAPIDocument {
    /// The document's bytes.
    /// - Throws: ``APIError`` when the resource is missing or empty.
    public static func load() throws -> Data {
        guard let url = Bundle.module.url(forResource: "openapi", withExtension: "json"),
              let data = try? Data(contentsOf: url), !data.isEmpty
        else { throw APIError(.internalServerError, "openapi.json is missing from the QueryService bundle") }
        return data
    }
}
