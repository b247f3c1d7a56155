using Microsoft.Extensions.AI;

namespace SpecSynth.Tests.Middleware;

/// <summary>One scripted call: text pieces, then a finish reason (an update of its own) or a failure.</summary>
internal sealed record SteppedCall(string[] Pieces, ChatFinishReason? Finish, Exception? Failure)
{
    public static SteppedCall Of(ChatFinishReason finish, params string[] pieces) => new(pieces, finish, null);

    public static SteppedCall Failing(Exception failure, params string[] pieces) => new(pieces, null, failure);
}
