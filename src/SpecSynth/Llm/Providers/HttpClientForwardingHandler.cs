namespace SpecSynth.Llm.Providers;

/// <summary>Sends through a caller-supplied <see cref="HttpClient"/>, so our handlers can sit in front of it.</summary>
internal sealed class HttpClientForwardingHandler(HttpClient client) : HttpMessageHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
}
