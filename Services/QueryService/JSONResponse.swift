import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import QuotewireModels

/// JSON responses written with the project's wire coding (ISO 8601 dates).
enum JSONResponse {
    static func make<T: Encodable>(_ value: T, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        let data: Data
        do {
            data = try WireCoding.encoder().encode(value)
        } catch {
            // Only non-finite numbers can fail to encode; report it as the server's fault.
            data = Data(#"{"error":{"status":500,"message":"the response could not be encoded"}}"#.utf8)
            return body(data, status: .internalServerError, headers: headers)
        }
        return body(data, status: status, headers: headers)
    }

    static func body(_ data: Data, status: HTTPResponse.Status, headers: HTTPFields = [:], contentType: String = "application/json")
        -> Response
    {
        var fields = headers
        fields[.contentType] = contentType
        return Response(status: status, headers: fields, body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }
}
