using Azure.Core;

namespace SpecSynth.Providers;

/// <summary>
/// Entra ID access tokens for Azure OpenAI (scope <see cref="Scope"/>) from a <see cref="TokenCredential"/>, as Azure.Core's
/// <c>BearerTokenAuthenticationPolicy</c> keeps them: one token is used until <see cref="RefreshMargin"/> before it expires
/// (or its <see cref="AccessToken.RefreshOn"/>), then the first caller fetches the next one while the others wait; a refresh
/// that fails while the kept token is still valid keeps using it. One per credential, shared by all its clients. Thread-safe.
/// </summary>
internal sealed class AzureTokenCache(TokenCredential credential, TimeProvider time)
{
    /// <summary>The scope of Azure OpenAI (Cognitive Services) data-plane tokens.</summary>
    public const string Scope = "https://cognitiveservices.azure.com/.default";

    /// <summary>How long before its expiry a token is replaced: 5 minutes, as Azure.Core does.</summary>
    public static readonly TimeSpan RefreshMargin = TimeSpan.FromMinutes(5);

    private static readonly TokenRequestContext Request = new([Scope]);
    private readonly SemaphoreSlim gate = new(1, 1);
    private AccessToken? current;

    /// <summary>The credential's type name (<c>DefaultAzureCredential</c>), for messages.</summary>
    public string CredentialName => credential.GetType().Name;

    /// <summary>A token to send now: the kept one, or a new one when it is due for refresh.</summary>
    /// <exception cref="ProviderException">The credential could not give a token (<see cref="ErrorKind.Auth"/>).</exception>
    public async ValueTask<string> GetAsync(bool async, CancellationToken cancellationToken)
    {
        if (Usable(current) is { } kept)
        {
            return kept;
        }
        await EnterAsync(async, cancellationToken).ConfigureAwait(false);
        try
        {
            return Usable(current) ?? await FetchAsync(async, current, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>After the server refused <paramref name="refused"/> (401): drops it and asks the credential again; the new
    /// token, or <c>null</c> when the credential gives the refused one again (the refusal stands).</summary>
    /// <exception cref="ProviderException">The credential could not give a token (<see cref="ErrorKind.Auth"/>).</exception>
    public async ValueTask<string?> RenewAsync(string refused, bool async, CancellationToken cancellationToken)
    {
        await EnterAsync(async, cancellationToken).ConfigureAwait(false);
        try
        {
            if (current is { } kept && !string.Equals(kept.Token, refused, StringComparison.Ordinal) && time.GetUtcNow() < kept.ExpiresOn)
            {
                return kept.Token; // another call renewed it meanwhile
            }
            current = null;
            var next = await FetchAsync(async, null, cancellationToken).ConfigureAwait(false);
            return string.Equals(next, refused, StringComparison.Ordinal) ? null : next;
        }
        finally
        {
            gate.Release();
        }
    }

    private async ValueTask EnterAsync(bool async, CancellationToken cancellationToken)
    {
        if (async)
        {
            await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        else
        {
            gate.Wait(cancellationToken);
        }
    }

    private async ValueTask<string> FetchAsync(bool async, AccessToken? kept, CancellationToken cancellationToken)
    {
        AccessToken token;
        try
        {
            token = async
                ? await credential.GetTokenAsync(Request, cancellationToken).ConfigureAwait(false)
                : credential.GetToken(Request, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            if (kept is { } still && time.GetUtcNow() < still.ExpiresOn)
            {
                return still.Token; // the refresh failed, the kept token has not expired yet: the next call tries again
            }
            throw EntraIdFailure.From(ex, CredentialName);
        }
        if (string.IsNullOrEmpty(token.Token))
        {
            throw EntraIdFailure.From(null, CredentialName);
        }
        current = token;
        return token.Token;
    }

    private string? Usable(AccessToken? token) =>
        token is { } t && time.GetUtcNow() < RefreshAt(t) ? t.Token : null;

    private static DateTimeOffset RefreshAt(AccessToken token)
    {
        var beforeExpiry = token.ExpiresOn - RefreshMargin;
        return token.RefreshOn is { } refreshOn && refreshOn < beforeExpiry ? refreshOn : beforeExpiry;
    }
}
