namespace SpecSynth.Batching;

/// <summary>
/// In a provider's HTTP stack, under the SDK: a spec's generate request (<c>POST …/messages</c>, <c>POST …/chat/completions</c>)
/// made under a <see cref="BatchTicket"/> is not sent but handed to the run's <see cref="BatchCoordinator"/>, which submits
/// it in a batch and answers with the batch's result for it as if the provider had answered the request itself. So the
/// batched request is exactly the SDK's request (prompt layout, cache_control, parameters) and its result goes through the
/// SDK and the whole pipeline like any reply. Everything else passes through as the inner handler's own task (no state
/// machine of this handler's per request).
/// </summary>
internal sealed class BatchingHandler(HttpMessageHandler inner) : DelegatingHandler(inner)
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        BatchScope.Current is { } ticket && request.Method == HttpMethod.Post && request.RequestUri is { } uri && BatchWire.IsChatPath(uri)
            && ticket.TryClaim()
            ? ticket.Coordinator.ExchangeAsync(ticket, request, new HttpMessageInvoker(InnerHandler!, disposeHandler: false), cancellationToken)
            : base.SendAsync(request, cancellationToken);
}
