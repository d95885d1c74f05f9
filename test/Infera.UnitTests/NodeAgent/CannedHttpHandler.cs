using System.Net;
using System.Text;

namespace Infera.UnitTests.NodeAgent;

/// <summary>Answers every request with one fixed status and body, and remembers the last request's body.</summary>
internal sealed class CannedHttpHandler(HttpStatusCode status, string body, string contentType) : HttpMessageHandler
{
    public string? LastRequestBody { get; private set; }

    public Uri? LastRequestUri { get; private set; }

    public HttpClient Client(string baseAddress = "http://backend.test/") => new(this) { BaseAddress = new Uri(baseAddress) };

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        LastRequestUri = request.RequestUri;
        LastRequestBody = request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken);
        return new HttpResponseMessage(status)
        {
            Content = new StringContent(body, Encoding.UTF8, contentType),
            RequestMessage = request,
        };
    }
}
