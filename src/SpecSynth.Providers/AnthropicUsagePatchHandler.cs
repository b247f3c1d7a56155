using System.Text.RegularExpressions;

namespace SpecSynth.Providers;

/// <summary>
/// Works around an Anthropic SDK 13.x bug: its chat adapter throws when <c>usage.server_tool_use</c> lacks
/// <c>web_fetch_requests</c>, which real (older) API responses and compatible servers omit. Adds the missing
/// count (0) line by line, without delaying a stream by more than one line. Also checks that every successful body is
/// UTF-8 as it is read, as <see cref="Utf8ValidatingHandler"/> does, in the same wrapper stream (so it sits right over the
/// transport with no handler of its own for that check). A redirect is thrown as a <see cref="ProviderRedirectException"/>
/// (the transport does not follow it).
/// </summary>
internal sealed partial class AnthropicUsagePatchHandler(HttpMessageHandler inner) : DelegatingHandler(inner)
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            ProviderRedirectException.ThrowIfRedirect(response);
            return response;
        }
        var body = await ResponseBodyContent.OfAsync(response, cancellationToken).ConfigureAwait(false);
        body.Body = new LinePatchingStream(body.Body, Patch, MayChange, validateUtf8: true);
        body.Headers.ContentLength = null; // the patched body's length is not the length that was sent
        return response;
    }

    /// <summary>Whether <see cref="Patch"/> could change the line (its UTF-8 bytes): only a line naming <c>server_tool_use</c>.</summary>
    internal static bool MayChange(ReadOnlySpan<byte> line) => line.IndexOf("\"server_tool_use\""u8) >= 0;

    /// <summary>Adds <c>"web_fetch_requests":0</c> to every <c>server_tool_use</c> usage object missing it.</summary>
    internal static string Patch(string line) =>
        !line.Contains("\"server_tool_use\"", StringComparison.Ordinal) ? line : ServerToolUsage().Replace(line, m =>
        {
            var body = m.Groups["body"].Value;
            if (body.Contains("\"web_fetch_requests\"", StringComparison.Ordinal))
            {
                return m.Value;
            }
            var separator = string.IsNullOrWhiteSpace(body) ? "" : ",";
            return $"{m.Groups["head"].Value}{body}{separator}\"web_fetch_requests\":0}}";
        });

    [GeneratedRegex("""(?<head>"server_tool_use"\s*:\s*\{)(?<body>[^{}]*)\}""")]
    private static partial Regex ServerToolUsage();
}
