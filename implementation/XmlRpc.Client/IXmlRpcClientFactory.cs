namespace XmlRpc.Client;

/// <summary>Creates the XML-RPC clients registered with <c>AddXmlRpcClient</c>.</summary>
public interface IXmlRpcClientFactory
{
    /// <summary>A client for the registration named <paramref name="name"/>; cheap, create one per use or keep it.</summary>
    /// <param name="name">The registration's name.</param>
    /// <returns>A client over a factory-managed <see cref="HttpClient"/>.</returns>
    XmlRpcClient CreateClient(string name);
}
