using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace SpecSynth.Providers;

/// <summary>
/// Turns SDK failures into <see cref="ProviderException"/>s, and a stream that ends without a finish
/// reason (cut connection) into a retryable one. Sets up the <see cref="ProviderCallRecord"/> the
/// <see cref="ResponseCaptureHandler"/> fills.
/// </summary>
internal sealed class ProviderErrorsChatClient : DelegatingChatClient
{
    /// <summary>The response (or final update) property carrying the HTTP response's interesting headers, names in
    /// lower case (<c>IReadOnlyDictionary&lt;string, string&gt;</c>): the rate limiter adapts to them.</summary>
    internal const string HeadersProperty = "specsynth.response_headers";

    private readonly ProviderSettings settings;
    private readonly ProviderErrorTranslator translator;
    private readonly OllamaApi? ollama;
    private readonly IDisposable? owned;
    private readonly IProviderSdkErrors? sdk;

    public ProviderErrorsChatClient(IChatClient inner, ProviderSettings settings, TimeProvider time, OllamaApi? ollama,
        IDisposable? owned = null, IProviderSdkErrors? sdk = null)
        : base(inner)
    {
        this.settings = settings;
        this.sdk = sdk;
        translator = new ProviderErrorTranslator(settings, time, sdk);
        this.ollama = ollama;
        this.owned = owned;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            owned?.Dispose();
        }
        base.Dispose(disposing);
    }

    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages,
        ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var record = new ProviderCallRecord();
        ProviderCallRecord.Current = record;
        try
        {
            var response = await base.GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
            new FinishReasonCorrector(sdk).Apply(response);
            (response.AdditionalProperties ??= [])[HeadersProperty] = record.Headers;
            return response;
        }
        catch (Exception ex) when (ProviderErrorTranslator.IsProviderFailure(ex, cancellationToken, sdk))
        {
            throw await TranslateAsync(ex, record, options, cancellationToken).ConfigureAwait(false);
        }
    }

    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages,
        ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        // Set once, in the first step: the handlers read it when the request is sent and the parameter layer when the
        // first update fails, both within the first step of this stream (the SDK sends its one request when first asked
        // for an update); later steps only read the body, and the scanner and the translation get the record itself.
        // Setting it again in each step would copy the flow's ExecutionContext every update (an async iterator's step
        // runs on its caller's flow, without what an earlier step set).
        var record = new ProviderCallRecord();
        ProviderCallRecord.Current = record;
        using var idle = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var updates = base.GetStreamingResponseAsync(messages, options, idle.Token).GetAsyncEnumerator(idle.Token);
        var finished = false;
        var corrector = new FinishReasonCorrector(sdk);
        await using (updates.ConfigureAwait(false))
        {
            while (true)
            {
                ChatResponseUpdate update;
                try
                {
                    // At most RequestTimeout per update (a stalled stream fails). An update that is already there (read with an
                    // earlier chunk of the body) is taken without arming the timer; a pending one is awaited here, by this
                    // iterator's own state machine (no helper's per wait).
                    var next = updates.MoveNextAsync();
                    var pending = !next.IsCompleted;
                    if (pending)
                    {
                        idle.CancelAfter(settings.RequestTimeout);
                    }
                    var more = await next.ConfigureAwait(false);
                    if (pending)
                    {
                        idle.CancelAfter(Timeout.InfiniteTimeSpan);
                    }
                    if (!more)
                    {
                        break;
                    }
                    update = updates.Current;
                }
                catch (Exception ex) when (ProviderErrorTranslator.IsProviderFailure(ex, cancellationToken, sdk))
                {
                    throw idle.IsCancellationRequested
                        ? translator.TimedOut(ex)
                        : await TranslateAsync(ex, record, options, cancellationToken).ConfigureAwait(false);
                }
                corrector.Apply(update);
                if (update.FinishReason is not null)
                {
                    finished = true;
                    (update.AdditionalProperties ??= [])[HeadersProperty] = record.Headers;
                }
                yield return update;
            }
        }
        if (record.StreamError is { } streamError)
        {
            throw translator.FromStreamError(streamError);
        }
        if (!finished)
        {
            throw new ProviderException(ErrorKind.ProviderUnavailable, settings.Provider,
                $"the stream from {ProviderDescriptions.Display(settings)} ended before the reply was complete (connection cut?)",
                isRetryable: true);
        }
    }

    private async Task<ProviderException> TranslateAsync(Exception ex, ProviderCallRecord record, ChatOptions? options,
        CancellationToken cancellationToken)
    {
        var translated = translator.Translate(ex, record);
        if (ollama is not null && translated.StatusCode == 404)
        {
            var model = options?.ModelId ?? settings.Model;
            var pulled = await ollama.TryListModelsAsync(cancellationToken).ConfigureAwait(false);
            if (pulled is not null && !OllamaApi.Contains(pulled, model))
            {
                var available = pulled.Count == 0 ? "no models are pulled" : "pulled: " + string.Join(", ", pulled.Take(10));
                return new ProviderException(ErrorKind.InvalidInput, settings.Provider,
                    $"Ollama model '{model}' is not pulled; run `ollama pull {model}` ({available})", 404, inner: ex);
            }
        }
        return translated;
    }
}
