using Microsoft.Extensions.AI;
using SpecSynth.Providers;
using SpecSynth.Tests.Fakes;

namespace SpecSynth.Tests.Providers;

/// <summary><c>OPENAI_ORG_ID</c> and <c>OPENAI_PROJECT_ID</c> are sent as the official SDKs send them, and only to OpenAI.</summary>
public sealed class OpenAIOrganizationTests
{
    [Fact]
    public async Task OrgAndProject_AreSentAsHeaders_WhenSet()
    {
        await using var server = await FakeProviderServer.StartAsync();
        server.Enqueue(OpenAIWire.Json("ok"));
        var env = new Dictionary<string, string> { ["OPENAI_API_KEY"] = "sk-openai", ["OPENAI_ORG_ID"] = "org-abc", ["OPENAI_PROJECT_ID"] = "proj_def" };
        var settings = ProviderEnvironment.Resolve("openai", "gpt-4.1", null, [], k => env.GetValueOrDefault(k), baseUrlFromFlag: server.Url("v1").AbsoluteUri);
        using var client = ProviderClientFactory.Create(settings);

        await client.GetResponseAsync("hi");

        var request = Assert.Single(server.Requests);
        Assert.Equal("org-abc", request.Header("OpenAI-Organization"));
        Assert.Equal("proj_def", request.Header("OpenAI-Project"));
    }

    [Fact]
    public async Task WithoutThem_NoHeaderIsSent_AndOtherProvidersNeverGetThem()
    {
        await using var server = await FakeProviderServer.StartAsync();
        server.Enqueue(OpenAIWire.Json("ok"));
        var env = new Dictionary<string, string> { ["OPENAI_API_KEY"] = "sk-openai", ["ANTHROPIC_API_KEY"] = "sk-ant", ["OPENAI_ORG_ID"] = "org-abc" };
        var openai = ProviderEnvironment.Resolve("openai", "gpt-4.1", null, [], k => k == "OPENAI_ORG_ID" ? null : env.GetValueOrDefault(k),
            baseUrlFromFlag: server.Url("v1").AbsoluteUri);
        var claude = ProviderEnvironment.Resolve("claude", "claude-haiku-4-5", null, [], k => env.GetValueOrDefault(k));
        using var client = ProviderClientFactory.Create(openai);

        await client.GetResponseAsync("hi");

        Assert.Null(Assert.Single(server.Requests).Header("OpenAI-Organization"));
        Assert.Null(claude.OrganizationId);
    }
}
