using Anthropic;
using Anthropic.Core;

namespace SpecSynth.Providers;

/// <summary>
/// The SDK's raw-response client that answers <see cref="WithOptions"/> with itself when the modifier leaves its options as
/// they are: the SDK asks for one per message request (setting the timeout when none is set), and a new client costs a new
/// <see cref="ClientOptions"/> (its constructor makes an <see cref="HttpClient"/> with a handler), seven lazies, a retrying
/// executor and the credential read from the environment, all dropped when the request ends. Options that differ get a
/// new client, as from the SDK.
/// </summary>
internal sealed class AnthropicSdkRawClient(ClientOptions options) : AnthropicClientWithRawResponse(options)
{
    public override IAnthropicClientWithRawResponse WithOptions(Func<ClientOptions, ClientOptions> modifier)
    {
        ArgumentNullException.ThrowIfNull(modifier);
        return modifier(_options).Equals(_options) ? this : base.WithOptions(modifier);
    }
}
