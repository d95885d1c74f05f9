using System.Net;
using System.Text;

namespace Infera.UnitTests.Support;

/// <summary>Answers every request with one canned response and remembers what it was sent: HTTP without a server.</summary>
internal sealed class StubHttpHandler(HttpStatusCode status, string body, string contentType = "application/json") : HttpMessageHandler
{
    public Uri? LastUri { get; private set; }

    public string? LastBody { get; private set; }

    public string? LastAuthorization { get; private set; }

    public int Requests { get; private set; }

    public HttpClient Client(string baseAddress) => new(this) { BaseAddress = new Uri(baseAddress) };

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Requests++;
        LastUri = request.RequestUri;
        LastAuthorization = request.Headers.Authorization?.ToString();
        LastBody = request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken);
        return new HttpResponseMessage(status) { Content = new StringContent(body, Encoding.UTF8, contentType) };
    }
}
