using Azure.Identity;

namespace SpecSynth.Providers;

/// <summary>
/// What a failed Entra ID sign-in becomes: an <see cref="ErrorKind.Auth"/> <see cref="ProviderException"/> (the CLI's exit 3,
/// as for a missing key) saying how to give a key or sign in. The credential's own explanation follows, redacted, on one
/// line; no token or secret is ever part of it.
/// </summary>
internal static class EntraIdFailure
{
    /// <summary>The error for <paramref name="ex"/> (<c>null</c>: the credential returned an empty token).</summary>
    public static ProviderException From(Exception? ex, string credentialName)
    {
        var what = ex switch
        {
            CredentialUnavailableException => "found no identity to sign in with",
            AuthenticationFailedException => "could not sign in",
            null => "returned an empty token",
            _ => "failed (" + ex.GetType().Name + ")",
        };
        var detail = ex is null ? "" : " [" + OneLine(ex.Message) + "]";
        return new ProviderException(ErrorKind.Auth, ProviderIds.Azure,
            $"Azure OpenAI: no key is set and Entra ID sign-in with {credentialName} {what}: set AZURE_OPENAI_API_KEY (or "
            + "[llm.azure] api_key_command, or 'specsynth keys set azure'), or sign in with 'az login', or set AZURE_CLIENT_ID, "
            + "AZURE_TENANT_ID and AZURE_CLIENT_SECRET for a service principal (a managed identity needs none of these)" + detail,
            inner: ex);
    }

    private static string OneLine(string message)
    {
        var text = string.Join(' ', message.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        text = Projects.SecretRedactor.Redact(text, out _);
        return text.Length <= 600 ? text : text[..600] + "…";
    }
}
