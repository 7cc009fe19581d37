using Microsoft.Extensions.Options;

namespace XmlRpc.Client.Internal;

/// <summary>The <see cref="IXmlRpcClientFactory"/> over <see cref="IHttpClientFactory"/> and named options.</summary>
internal sealed class XmlRpcClientFactory(IHttpClientFactory httpClientFactory, IOptionsMonitor<XmlRpcClientOptions> options) : IXmlRpcClientFactory
{
    public XmlRpcClient CreateClient(string name) =>
        new(httpClientFactory.CreateClient(XmlRpcClientServiceCollectionExtensions.HttpClientName(name)), options.Get(name));
}
