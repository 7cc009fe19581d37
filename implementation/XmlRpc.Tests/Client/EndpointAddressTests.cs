using System.Text;
using XmlRpc.Client.Internal;
using Xunit;

namespace XmlRpc.Tests.Client;

/// <summary>URL handling as CPython 3.9.3+ <c>ServerProxy</c> does it (urlsplit, last '@', unquote_to_bytes, /RPC2 default).</summary>
public sealed class EndpointAddressTests
{
    [Theory]
    [InlineData("http://h", "http://h/RPC2")]
    [InlineData("http://h/", "http://h/")]
    [InlineData("http://h:8000/x/y?k=v", "http://h:8000/x/y?k=v")]
    [InlineData("http://h?k=v", "http://h/?k=v")]
    [InlineData("https://h/RPC2", "https://h/RPC2")]
    public void UsesRpc2ForAnEmptyPathAndKeepsTheQuery(string url, string expected)
    {
        Assert.Equal(new Uri(expected), EndpointAddress.Parse(url).RequestUri);
    }

    [Theory]
    [InlineData("http://us%40er:p%3Ass@h/", "us@er:p:ss")]
    [InlineData("http://us@er:p:ss@h/", "us@er:p:ss")]
    [InlineData("http://user@h/", "user")]
    [InlineData("http://:@h/", ":")]
    public void SplitsTheUserInfoAtTheLastAtSign(string url, string expected)
    {
        var address = EndpointAddress.Parse(url);

        Assert.Equal(expected, Encoding.UTF8.GetString(address.UserInfo!));
        Assert.Equal("h", address.RequestUri.Host);
        Assert.Equal(string.Empty, address.RequestUri.UserInfo);
    }

    [Theory]
    [InlineData("ftp://h/RPC2")]
    [InlineData("h/RPC2")]
    [InlineData("")]
    public void RefusesWhatIsNotAnHttpUrl(string url)
    {
        Assert.ThrowsAny<ArgumentException>(() => EndpointAddress.Parse(url));
    }
}
