namespace SpecSynth.Providers;

/// <summary>
/// Refuses redirects for the provider requests made outside the chat clients (model lists, Ollama's <c>/api/show</c>,
/// Anthropic's token counts): a 3xx reply becomes a <see cref="ProviderRedirectException"/>. The chat clients' handlers
/// right over the transport make the same check themselves, so their requests pass one handler fewer.
/// </summary>
internal sealed class RedirectRefusingHandler(HttpMessageHandler inner) : DelegatingHandler(inner)
{
    /// <summary>Over a new socket handler that does not follow redirects.</summary>
    public static RedirectRefusingHandler OverSockets() => new(new SocketsHttpHandler { AllowAutoRedirect = false });

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        ProviderRedirectException.ThrowIfRedirect(response);
        return response;
    }
}
