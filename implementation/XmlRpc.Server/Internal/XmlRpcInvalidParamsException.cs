namespace XmlRpc.Server.Internal;

/// <summary>The parameters do not fit the method: CPython's <c>TypeError</c>, the interop profile's -32602.</summary>
internal sealed class XmlRpcInvalidParamsException(string message) : Exception(message);
