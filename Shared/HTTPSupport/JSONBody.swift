import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import QuotewireModels

/// Response bodies of the HTTP services: JSON in the wire coding (ISO 8601 dates), or bytes
/// already made (the OpenAPI document, the Prometheus text).
public enum JSONBody {
    /// `value` as JSON with `status`. A value that cannot be encoded (only non-finite numbers
    /// can fail) is the server's fault: the answer is then a 500 error body.
    public static func response<T: Encodable>(
        _ value: T, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]
    ) -> Response {
        guard let data = try? WireCoding.encoder().encode(value) else {
            return bytes(Data(#"{"error":{"status":500,"message":"the response could not be encoded"}}"#.utf8),
                         status: .internalServerError, headers: headers)
        }
        return bytes(data, status: status, headers: headers)
    }

    /// `data` as it is, labelled with `contentType`.
    public static func bytes(
        _ data: some Sequence<UInt8>, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:],
        contentType: String = "application/json"
    ) -> Response {
        var fields = headers
        fields[.contentType] = contentType
        return Response(status: status, headers: fields, body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }
}
