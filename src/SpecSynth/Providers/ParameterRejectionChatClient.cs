using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace SpecSynth.Providers;

/// <summary>
/// Leaves out what the model is known to refuse, and when a call still fails with a 400 that refuses one
/// parameter (<see cref="ParameterRejectionDetector"/>), remembers the refusal, warns through
/// <see cref="ProviderSettings.OnWarning"/> and retries the call once without it. Sits inside
/// <see cref="ProviderErrorsChatClient"/> (it reads the raw error from <see cref="ProviderCallRecord"/>), and applies the
/// client's options defaults (which strip what <see cref="RejectedParameters"/> holds) to a copy of the options of every
/// call it makes, so a retry goes out without what was learned: no layer of their own (and its iterator) per call.
/// A 400 that refuses the output cap and names the model's maximum (<see cref="OutputCapRejection"/>) is handled the
/// same way: the maximum is remembered for the run, warned about once, and the call retried once with it.
/// A streamed call is retried only when it fails before its first update (a 400 always does).
/// </summary>
internal sealed class ParameterRejectionChatClient : DelegatingChatClient
{
    private const int MaxQuotedChars = 200;
    private readonly ProviderSettings settings;
    private readonly RejectedParameters memory;
    private readonly IProviderSdkErrors? sdk;
    private readonly Action<ChatOptions>? defaults;

    /// <param name="inner">The SDK's client.</param>
    /// <param name="settings">The provider, model and warning sink.</param>
    /// <param name="memory">The refused parameters known so far (shared by a run's clients).</param>
    /// <param name="sdk">The SDK's error shapes.</param>
    /// <param name="defaults">Applied to a copy of the caller's options (a new one when there are none) before each call to
    /// <paramref name="inner"/>; <c>null</c>: the options are passed on as they are.</param>
    public ParameterRejectionChatClient(IChatClient inner, ProviderSettings settings, RejectedParameters memory, IProviderSdkErrors? sdk = null,
        Action<ChatOptions>? defaults = null)
        : base(inner)
    {
        this.settings = settings;
        this.memory = memory;
        this.sdk = sdk;
        this.defaults = defaults;
    }

    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages,
        ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var model = options?.ModelId ?? settings.Model;
        var before = memory.For(settings, model);
        var capBefore = memory.OutputCap(settings, model);
        try
        {
            return await base.GetResponseAsync(ParameterFilter.Messages(messages, before), Configure(options), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ProviderErrorTranslator.IsProviderFailure(ex, cancellationToken, sdk))
        {
            if (!Learn(ex, model, before, capBefore, options))
            {
                throw;
            }
        }
        var after = memory.For(settings, model);
        return await base.GetResponseAsync(ParameterFilter.Messages(messages, after), Configure(options), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    /// <remarks>The updates after the first are the inner client's own (<see cref="RetryingStream"/>: no iterator of this
    /// layer per call, no step of its own per update); only the first is awaited here, where a refusal is learned.</remarks>
    public override IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages,
        ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        new RetryingStream(this, messages, options, cancellationToken);

    /// <summary>The stream as an iterator: used when the caller enumerates with a token of its own besides the call's (the
    /// two are linked, as an iterator links them).</summary>
    private async IAsyncEnumerable<ChatResponseUpdate> Iterate(IEnumerable<ChatMessage> messages,
        ChatOptions? options, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var model = options?.ModelId ?? settings.Model;
        var before = memory.For(settings, model);
        var capBefore = memory.OutputCap(settings, model);
        var updates = Start(messages, options, before, cancellationToken);
        bool more;
        var learned = false;
        // The first update awaited here rather than in a helper: no second state machine per call. A failed start disposes
        // the enumerator before its failure is looked at.
        try
        {
            more = await updates.MoveNextAsync().ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            await updates.DisposeAsync().ConfigureAwait(false);
            if (!ProviderErrorTranslator.IsProviderFailure(ex, cancellationToken, sdk) || !Learn(ex, model, before, capBefore, options))
            {
                throw;
            }
            learned = true;
            more = false;
        }
        if (learned)
        {
            updates = Start(messages, options, memory.For(settings, model), cancellationToken);
            more = await FirstAsync(updates).ConfigureAwait(false);
        }
        await using (updates.ConfigureAwait(false))
        {
            while (more)
            {
                yield return updates.Current;
                more = await updates.MoveNextAsync().ConfigureAwait(false);
            }
        }
    }

    private IAsyncEnumerator<ChatResponseUpdate> Start(IEnumerable<ChatMessage> messages, ChatOptions? options,
        RejectedParameter rejected, CancellationToken cancellationToken) =>
        base.GetStreamingResponseAsync(ParameterFilter.Messages(messages, rejected), Configure(options), cancellationToken)
            .GetAsyncEnumerator(cancellationToken);

    /// <summary>The options one call goes out with: the defaults applied to a copy (the caller's own are never changed).</summary>
    private ChatOptions? Configure(ChatOptions? options)
    {
        if (defaults is null)
        {
            return options;
        }
        var configured = options?.Clone() ?? new ChatOptions();
        defaults(configured);
        return configured;
    }

    /// <summary>Starts the call when it is first enumerated (as an iterator does) and hands out the inner enumerator's
    /// updates: the first is awaited by <see cref="StartAsync"/> (a refusal learned there restarts the call once, as
    /// <see cref="Iterate"/> does); every later step is the inner enumerator's own. Like an iterator, the stream is its own
    /// first enumerator (one object per call); a second enumeration gets one of its own.</summary>
    private sealed class RetryingStream(ParameterRejectionChatClient owner, IEnumerable<ChatMessage> messages, ChatOptions? options,
        CancellationToken cancellationToken) : IAsyncEnumerable<ChatResponseUpdate>, IAsyncEnumerator<ChatResponseUpdate>
    {
        private IAsyncEnumerator<ChatResponseUpdate>? updates;
        private CancellationToken token;
        private int handedOut;
        private bool started;

        public ChatResponseUpdate Current => updates is { } inner ? inner.Current : default!;

        public IAsyncEnumerator<ChatResponseUpdate> GetAsyncEnumerator(CancellationToken enumeration = default)
        {
            if (enumeration.CanBeCanceled && cancellationToken.CanBeCanceled && enumeration != cancellationToken)
            {
                // Two different tokens: the iterator links them, as this layer's iterator always did.
                return owner.Iterate(messages, options, cancellationToken).GetAsyncEnumerator(enumeration);
            }
            var only = enumeration.CanBeCanceled ? enumeration : cancellationToken;
            if (Interlocked.Exchange(ref handedOut, 1) == 0)
            {
                token = only;
                return this;
            }
            return new RetryingStream(owner, messages, options, only).GetAsyncEnumerator(only);
        }

        public ValueTask<bool> MoveNextAsync()
        {
            if (started)
            {
                return updates is { } inner ? inner.MoveNextAsync() : ValueTask.FromResult(false);
            }
            started = true;
            return StartAsync();
        }

        public ValueTask DisposeAsync()
        {
            var inner = updates;
            updates = null;
            return inner?.DisposeAsync() ?? ValueTask.CompletedTask;
        }

        /// <summary>The first update, as <see cref="Iterate"/> takes it: a failed start disposes the inner enumerator before
        /// its failure is looked at; a refusal learned from it restarts the call once without what was refused. Its state
        /// machine, when the first update is awaited (the request is sent then), comes from a pool.</summary>
        [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
        private async ValueTask<bool> StartAsync()
        {
            var settings = owner.settings;
            var model = options?.ModelId ?? settings.Model;
            var before = owner.memory.For(settings, model);
            var capBefore = owner.memory.OutputCap(settings, model);
            var first = owner.Start(messages, options, before, token);
            try
            {
                var more = await first.MoveNextAsync().ConfigureAwait(false);
                updates = first;
                return more;
            }
            catch (Exception ex)
            {
                await first.DisposeAsync().ConfigureAwait(false);
                if (!ProviderErrorTranslator.IsProviderFailure(ex, token, owner.sdk) || !owner.Learn(ex, model, before, capBefore, options))
                {
                    throw;
                }
            }
            var retry = owner.Start(messages, options, owner.memory.For(settings, model), token);
            var again = await FirstAsync(retry).ConfigureAwait(false);
            updates = retry;
            return again;
        }
    }

    /// <summary>Moves to the first update; a failed start disposes the enumerator.</summary>
    private static async ValueTask<bool> FirstAsync(IAsyncEnumerator<ChatResponseUpdate> updates)
    {
        try
        {
            return await updates.MoveNextAsync().ConfigureAwait(false);
        }
        catch
        {
            await updates.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Whether <paramref name="ex"/> refuses a parameter this call still sent, or an output cap larger than the
    /// model's maximum; if so it is remembered (and warned about once).</summary>
    private bool Learn(Exception ex, string model, RejectedParameter before, int? capBefore, ChatOptions? options)
    {
        var record = ProviderCallRecord.Current;
        var status = record?.StatusCode is >= 400 ? record.StatusCode : ProviderErrorTranslator.StatusFromException(ex, sdk);
        var body = record?.StatusCode is >= 400 ? record.ErrorBody : ProviderErrorTranslator.BodyFromException(ex, sdk);
        if (OutputCapRejection.Detect(status, body) is { } max)
        {
            var sent = options?.MaxOutputTokens ?? settings.MaxOutputTokens;
            if (capBefore is { } known && known < sent)
            {
                sent = known;
            }
            if (max >= sent)
            {
                return false;
            }
            if (memory.LowerOutputCap(settings, model, max))
            {
                settings.OnWarning?.Invoke(CapWarning(model, max, status, body));
            }
            return true;
        }
        var rejected = ParameterRejectionDetector.Detect(settings.Provider, status, body);
        if (rejected == RejectedParameter.None || before.HasFlag(rejected))
        {
            return false;
        }
        if (memory.Add(settings, model, rejected))
        {
            settings.OnWarning?.Invoke(Warning(model, rejected, status, body));
        }
        return true;
    }

    private string CapWarning(string model, int max, int? status, string? body) =>
        $"{ProviderDescriptions.Display(settings)} model '{model}' accepts at most {max} output tokens (HTTP {status}: {Said(body)}); "
        + $"retried with max_tokens = {max}, which is used for this model for the rest of the run";

    private string Said(string? body)
    {
        var said = ProviderDescriptions.Redact(ProviderErrorBody.Parse(body).Message?.Trim() ?? "", settings);
        return said.Length > MaxQuotedChars ? said[..MaxQuotedChars] + "…" : said;
    }

    private string Warning(string model, RejectedParameter rejected, int? status, string? body)
    {
        var said = Said(body);
        return $"{ProviderDescriptions.Display(settings)} model '{model}' refused {ParameterRejectionDetector.Describe(rejected)} "
            + $"(HTTP {status}: {said}); retried without it, and it will not be sent to this model again in this run";
    }
}
