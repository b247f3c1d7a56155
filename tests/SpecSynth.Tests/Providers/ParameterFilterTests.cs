using Microsoft.Extensions.AI;
using SpecSynth.Providers;

namespace SpecSynth.Tests.Providers;

/// <summary><see cref="ParameterFilter"/> clears exactly the options a model refused and drops a trailing assistant
/// prefill only when prefill is refused.</summary>
public sealed class ParameterFilterTests
{
    // As numbers: the flags type is internal.
    public static TheoryData<int> Sets() =>
    [
        (int)RejectedParameter.None,
        (int)RejectedParameter.Temperature,
        (int)RejectedParameter.TopP,
        (int)RejectedParameter.TopK,
        (int)RejectedParameter.MaxOutputTokens,
        (int)RejectedParameter.StopSequences,
        (int)RejectedParameter.FrequencyPenalty,
        (int)RejectedParameter.PresencePenalty,
        (int)RejectedParameter.Seed,
        (int)(RejectedParameter.Temperature | RejectedParameter.Seed | RejectedParameter.Prefill),
        (int)(RejectedParameter.TopP | RejectedParameter.TopK | RejectedParameter.MaxOutputTokens | RejectedParameter.StopSequences
            | RejectedParameter.FrequencyPenalty | RejectedParameter.PresencePenalty),
    ];

    [Theory]
    [MemberData(nameof(Sets))]
    public void Strip_ClearsExactlyTheRefusedOptions(int flags)
    {
        var rejected = (RejectedParameter)flags;
        var options = new ChatOptions
        {
            Temperature = 0.5f,
            TopP = 0.9f,
            TopK = 40,
            MaxOutputTokens = 1024,
            StopSequences = ["END"],
            FrequencyPenalty = 0.1f,
            PresencePenalty = 0.2f,
            Seed = 7,
        };

        ParameterFilter.Strip(options, rejected);

        Assert.Equal(Refused(RejectedParameter.Temperature), options.Temperature is null);
        Assert.Equal(Refused(RejectedParameter.TopP), options.TopP is null);
        Assert.Equal(Refused(RejectedParameter.TopK), options.TopK is null);
        Assert.Equal(Refused(RejectedParameter.MaxOutputTokens), options.MaxOutputTokens is null);
        Assert.Equal(Refused(RejectedParameter.StopSequences), options.StopSequences is null);
        Assert.Equal(Refused(RejectedParameter.FrequencyPenalty), options.FrequencyPenalty is null);
        Assert.Equal(Refused(RejectedParameter.PresencePenalty), options.PresencePenalty is null);
        Assert.Equal(Refused(RejectedParameter.Seed), options.Seed is null);

        bool Refused(RejectedParameter one) => (rejected & one) == one;
    }

    [Fact]
    public void Messages_DropTheTrailingAssistantTurns_OnlyWhenPrefillIsRefused()
    {
        List<ChatMessage> messages = [new(ChatRole.User, "write it"), new(ChatRole.Assistant, "```"), new(ChatRole.Assistant, "csharp")];

        Assert.Same(messages, ParameterFilter.Messages(messages, RejectedParameter.Temperature | RejectedParameter.Seed));
        Assert.Equal([ChatRole.User], ParameterFilter.Messages(messages, RejectedParameter.Prefill | RejectedParameter.TopK).Select(m => m.Role));
    }
}
