using System.Globalization;
using SpecSynth.Tests.Fakes;

namespace SpecSynth.Tests.Cli.Providers;

/// <summary>
/// The real <c>DefaultAzureCredential</c> in a real CLI process, without network: its managed identity credential's App
/// Service source reads <c>IDENTITY_ENDPOINT</c> and <c>IDENTITY_HEADER</c> (MSAL accepts any absolute URL there, http on
/// loopback included) and asks that endpoint for a token, here a fake token server in this process; the fake Azure server
/// must then see the token as <c>Authorization: Bearer</c> and no <c>api-key</c>. The environment and the chain before it
/// (EnvironmentCredential, WorkloadIdentityCredential: unavailable without their variables) are DefaultAzureCredential's own.
/// Also checks that Azure.Core and MSAL are loaded only on this path, never for a run with a key.
/// </summary>
public sealed class AzureEntraIdProcessTests
{
    private const string IdentityHeader = "fake-identity-header-0b6e2f";
    private const string AccessToken = "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.eyJhdWQiOiJjb2duaXRpdmVzZXJ2aWNlcyJ9.managedIdentitySig0123456789";

    [Fact]
    public async Task WithoutAKey_DefaultAzureCredential_GetsAManagedIdentityToken_AndTheDeploymentReceivesItAsBearer()
    {
        await using var h = await CliHarness.StartAsync("azure");
        await using var identity = await FakeProviderServer.StartAsync();
        var expiresOn = DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        identity.Router = r => r.Header("x-identity-header") == IdentityHeader
            ? FakeResponse.Json($$"""{"access_token":"{{AccessToken}}","expires_on":"{{expiresOn}}","resource":"https://cognitiveservices.azure.com","token_type":"Bearer","client_id":"00000000-0000-0000-0000-000000000001"}""")
            : FakeResponse.Json("""{"statusCode":400,"message":"missing or wrong X-IDENTITY-HEADER"}""", 400);
        h.Server.Router = r => r.Header("authorization") == "Bearer " + AccessToken && r.Header("api-key") is null
            ? null
            : FakeResponse.Json("""{"error":{"code":"401","message":"Unauthorized. Access token is missing, invalid, audience is incorrect (https://cognitiveservices.azure.com), or have expired."}}""", 401);
        h.Server.Enqueue(h.Case.Reply(ModelAnswers.TwoFiles, stream: true));
        var env = Env(h);
        env["IDENTITY_ENDPOINT"] = identity.Url("msi/token").AbsoluteUri;
        env["IDENTITY_HEADER"] = IdentityHeader;

        var result = await CliProcess.RunAsync(h.Project, env, [.. GenerateOverProvidersTests.Args(h, stream: true), "--provider", "azure", .. h.Case.ExtraArgs], Unset);

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Equal(["src/Greeter.cs", "tests/GreeterTests.cs"], h.OutputFiles);
        var asked = Assert.Single(identity.Requests);
        Assert.Equal("/msi/token", asked.Path);
        Assert.Contains("resource=https", asked.Query, StringComparison.Ordinal);
        Assert.Contains("cognitiveservices.azure.com", Uri.UnescapeDataString(asked.Query), StringComparison.Ordinal);
        Assert.Single(h.ChatRequests);
        Assert.DoesNotContain(AccessToken, result.Out + result.Error, StringComparison.Ordinal);
        Assert.Contains("Azure.Core", Loaded(result));
    }

    [Fact]
    public async Task WithoutAKey_WhenDefaultAzureCredentialFindsNoIdentity_IsExit3_SayingHowToGiveAKeyOrSignIn()
    {
        await using var h = await CliHarness.StartAsync("azure");
        var env = Env(h);
        // DefaultAzureCredential's own switch, narrowed to the credential that needs AZURE_CLIENT_ID & co (unset here), so the
        // test neither waits for the IMDS probe nor depends on an 'az login' of the machine.
        env["AZURE_TOKEN_CREDENTIALS"] = "EnvironmentCredential";

        var result = await CliProcess.RunAsync(h.Project, env, [.. GenerateOverProvidersTests.Args(h, stream: true), "--provider", "azure", .. h.Case.ExtraArgs], Unset);

        Assert.True(result.ExitCode == 3, result.Error);
        Assert.Contains("Entra ID sign-in with DefaultAzureCredential", result.Error, StringComparison.Ordinal);
        Assert.Contains("set AZURE_OPENAI_API_KEY", result.Error, StringComparison.Ordinal);
        Assert.Contains("'az login'", result.Error, StringComparison.Ordinal);
        Assert.Empty(h.Server.Requests);
    }

    [Fact]
    public async Task WithAKey_NeitherAzureCoreNorMsal_IsLoaded()
    {
        await using var h = await CliHarness.StartAsync("azure");
        h.Server.Enqueue(h.Case.Reply(ModelAnswers.TwoFiles, stream: true));
        var env = Env(h);
        env["AZURE_OPENAI_API_KEY"] = h.Case.Key!;

        var result = await CliProcess.RunAsync(h.Project, env, [.. GenerateOverProvidersTests.Args(h, stream: true), "--provider", "azure", .. h.Case.ExtraArgs], Unset);

        Assert.True(result.ExitCode == 0, result.Error);
        var loaded = Loaded(result);
        Assert.Contains("OpenAI", loaded);
        Assert.DoesNotContain(loaded, name => name.StartsWith("Azure.", StringComparison.Ordinal) || name.StartsWith("Microsoft.Identity", StringComparison.Ordinal));
    }

    /// <summary>The machine's key and Azure identity variables, removed from the child's environment whatever the shell has.</summary>
    private static readonly string[] Unset = ["AZURE_OPENAI_API_KEY", "AZURE_CLIENT_ID", "AZURE_TENANT_ID", "AZURE_CLIENT_SECRET",
        "AZURE_CLIENT_CERTIFICATE_PATH", "AZURE_FEDERATED_TOKEN_FILE", "AZURE_USERNAME", "AZURE_TOKEN_CREDENTIALS", "IDENTITY_ENDPOINT",
        "IDENTITY_HEADER", "MSI_ENDPOINT", "MSI_SECRET", "IMDS_ENDPOINT", "IDENTITY_SERVER_THUMBPRINT"];

    /// <summary>The harness's folders and endpoint, no key, and the assembly trace.</summary>
    private static Dictionary<string, string> Env(CliHarness h)
    {
        var env = new Dictionary<string, string>(h.Cli.Env) { ["SPECSYNTH_TRACE_ASSEMBLIES"] = "1" };
        env.Remove("AZURE_OPENAI_API_KEY");
        return env;
    }

    private static List<string> Loaded(CliResult result) =>
        [.. result.Error.Split('\n').Where(l => l.StartsWith("loaded: ", StringComparison.Ordinal)).Select(l => l[8..].Trim())];
}
