using System.Net;

namespace SpecSynth.Providers;

/// <summary>
/// A provider answered with a redirect (3xx), which specsynth never follows: .NET drops only <c>Authorization</c> when it
/// follows one, so Anthropic's <c>x-api-key</c>, Azure's <c>api-key</c> and (on 307 and 308) the prompt would go to whatever
/// address the <c>Location</c> names. Every socket handler that carries a provider key has
/// <see cref="SocketsHttpHandler.AllowAutoRedirect"/> off, and the handler right over it throws this
/// (<see cref="ThrowIfRedirect"/>); <see cref="ProviderErrorTranslator.RedirectMessage"/> says what to change. The message of
/// the exception itself names neither address (the <c>Location</c> is the server's text).
/// </summary>
internal sealed class ProviderRedirectException : HttpRequestException
{
    private ProviderRedirectException(int status, Uri? location)
        : base($"the server answered HTTP {status} (a redirect), which specsynth does not follow", null, (HttpStatusCode)status)
    {
        Status = status;
        Location = location;
    }

    /// <summary>The redirect's status (300 to 399).</summary>
    public int Status { get; }

    /// <summary>Where the redirect points, resolved against the request's address; <c>null</c> when the reply had no
    /// <c>Location</c>.</summary>
    public Uri? Location { get; }

    /// <summary>Throws when <paramref name="response"/> is a redirect (disposing it first); does nothing otherwise.</summary>
    /// <exception cref="ProviderRedirectException">The status is 3xx.</exception>
    public static void ThrowIfRedirect(HttpResponseMessage response)
    {
        var status = (int)response.StatusCode;
        if (status is < 300 or > 399)
        {
            return;
        }
        var location = response.Headers.Location;
        if (location is { IsAbsoluteUri: false } && response.RequestMessage?.RequestUri is { IsAbsoluteUri: true } from)
        {
            location = new Uri(from, location);
        }
        response.Dispose();
        throw new ProviderRedirectException(status, location);
    }
}
