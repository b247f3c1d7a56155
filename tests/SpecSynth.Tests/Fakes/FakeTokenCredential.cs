using Azure.Core;
using Azure.Identity;

namespace SpecSynth.Tests.Fakes;

/// <summary>
/// An Entra ID credential for tests: token N (JWT-shaped, <see cref="Token"/>) lives <c>lifetime</c> on <c>time</c>'s clock;
/// it records the scopes asked for and can fail (<see cref="Failure"/>) or keep giving the same token (<see cref="SameToken"/>).
/// </summary>
internal sealed class FakeTokenCredential(TimeProvider time, TimeSpan lifetime) : TokenCredential
{
    private readonly List<string> scopes = [];
    private int issued;

    /// <summary>Thrown by the next calls when set (e.g. <see cref="CredentialUnavailableException"/>).</summary>
    public Exception? Failure { get; set; }

    /// <summary>Always token 1 (a credential whose own cache still holds the refused token).</summary>
    public bool SameToken { get; set; }

    /// <summary>How many tokens were asked for.</summary>
    public int Calls { get; private set; }

    /// <summary>Every scope asked for, in order.</summary>
    public IReadOnlyList<string> Scopes => [.. scopes];

    /// <summary>Token <paramref name="n"/>: shaped like an Entra access token (three base64url parts).</summary>
    public static string Token(int n) => $"eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.eyJhdWQiOiJodHRwczovL2NvZ25pdGl2ZXNlcnZpY2VzLmF6dXJlLmNvbSJ9.entra{n}Sig0123456789abcdefXYZ";

    /// <summary>Fails with CredentialUnavailableException, as DefaultAzureCredential does where no identity is found.</summary>
    public static CredentialUnavailableException Unavailable() =>
        new("DefaultAzureCredential failed to retrieve a token from the included credentials.\n- EnvironmentCredential authentication unavailable.");

    public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken) => Next(requestContext);

    public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
        new(Next(requestContext));

    private AccessToken Next(TokenRequestContext requestContext)
    {
        lock (scopes)
        {
            Calls++;
            scopes.AddRange(requestContext.Scopes);
            if (Failure is { } failure)
            {
                throw failure;
            }
            var n = SameToken ? 1 : ++issued;
            return new AccessToken(Token(n), time.GetUtcNow() + lifetime);
        }
    }
}
