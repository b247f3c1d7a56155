using SpecSynth.Batching;
using SpecSynth.Config;
using SpecSynth.Providers;

namespace SpecSynth;

/// <summary>
/// The batches <c>generate --batch</c> submitted, as stored under the state folder (<c>batches.db</c>): list them, show
/// one, cancel one at the provider (<c>specsynth batch list|status|cancel</c>). Collecting a batch is
/// <see cref="ISpecSynthesizer.GenerateAllAsync"/> with <see cref="GenerateAllRequest.ResumeBatch"/>.
/// </summary>
public static class BatchAdmin
{
    /// <summary>Every stored batch, newest first.</summary>
    /// <param name="environment">Reads an environment variable (the state folder: <c>SPECSYNTH_HOME</c>, XDG); <c>null</c> for
    /// the process environment.</param>
    public static IReadOnlyList<BatchInfo> List(Func<string, string?>? environment = null) =>
        BatchStore.In(StatePaths.StateDir(environment ?? Environment.GetEnvironmentVariable)).List();

    /// <summary>One stored batch by specsynth's id or the provider's, or <c>null</c>.</summary>
    /// <param name="id">The id.</param>
    /// <param name="environment">Reads an environment variable; <c>null</c> for the process environment.</param>
    public static BatchInfo? Get(string id, Func<string, string?>? environment = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        return BatchStore.In(StatePaths.StateDir(environment ?? Environment.GetEnvironmentVariable)).Get(id);
    }

    /// <summary>Asks the provider to cancel a stored batch (requests already running may still finish; <c>batch resume</c>
    /// then collects what finished). The key comes from the provider's variable (<c>ANTHROPIC_API_KEY</c>,
    /// <c>OPENAI_API_KEY</c>).</summary>
    /// <param name="id">specsynth's id or the provider's.</param>
    /// <param name="environment">Reads an environment variable; <c>null</c> for the process environment.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The batch as stored after the call.</returns>
    /// <exception cref="SpecSynthException">Unknown batch, not submitted yet, no key, or the provider refused.</exception>
    public static async Task<BatchInfo> CancelAsync(string id, Func<string, string?>? environment = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        var getEnv = environment ?? Environment.GetEnvironmentVariable;
        var store = BatchStore.In(StatePaths.StateDir(getEnv));
        var batch = store.Get(id) ?? throw new SpecSynthException(ErrorKind.InvalidInput, $"no batch '{id}' (specsynth batch list shows them)");
        if (batch.RemoteId is not { } remote || store.ApiRoot(batch.Id) is not { } root)
        {
            throw new SpecSynthException(ErrorKind.InvalidInput, $"batch {batch.Id} was never accepted by the provider; nothing to cancel");
        }
        var settings = ProviderEnvironment.Resolve(batch.Provider, null, null, [], getEnv);
        using var handler = new Utf8ValidatingHandler(new SocketsHttpHandler { AllowAutoRedirect = false, ConnectTimeout = TimeSpan.FromSeconds(10) });
        using var http = new HttpMessageInvoker(handler, disposeHandler: false);
        try
        {
            var poll = await BatchWire.For(batch.Provider, root, settings.ApiKey, http).CancelAsync(remote, cancellationToken).ConfigureAwait(false);
            store.SetStatus(batch.Id, poll.Status);
        }
        catch (ProviderRedirectException ex)
        {
            throw new SpecSynthException(ErrorKind.InvalidInput, ProviderErrorTranslator.RedirectMessage(settings with { BaseUrl = root }, ex), ex);
        }
        catch (BatchHttpException ex)
        {
            throw new SpecSynthException(ex.Status is 401 or 403 ? ErrorKind.Auth : ErrorKind.ProviderUnavailable, Redaction.Redact(ex.Message), ex);
        }
        return store.Get(batch.Id)!;
    }
}
