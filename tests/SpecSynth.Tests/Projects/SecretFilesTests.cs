using System.Text.Json;
using SpecSynth.Projects;

namespace SpecSynth.Tests.Projects;

public sealed class SecretFilesTests
{
    private const string Canary = "CANARY-7f3c9a1e-do-not-leak";

    [Theory]
    [InlineData(".env")]
    [InlineData(".env.local")]
    [InlineData(".env.production")]
    [InlineData(".env.example")]
    [InlineData("config/.envrc")]
    [InlineData("prod.env")]
    [InlineData("certs/server.pem")]
    [InlineData("server.key")]
    [InlineData("store.p12")]
    [InlineData("store.pfx")]
    [InlineData("release.jks")]
    [InlineData("app.keystore")]
    [InlineData("ca.crt")]
    [InlineData("ca.cer")]
    [InlineData("ca.der")]
    [InlineData("key.asc")]
    [InlineData("backup.gpg")]
    [InlineData("id_rsa")]
    [InlineData("id_rsa.pub")]
    [InlineData("keys/id_ed25519")]
    [InlineData("id_ecdsa")]
    [InlineData("putty.ppk")]
    [InlineData(".npmrc")]
    [InlineData(".pypirc")]
    [InlineData(".netrc")]
    [InlineData(".git-credentials")]
    [InlineData("credentials")]
    [InlineData("gcp/credentials.json")]
    [InlineData("infra/terraform.tfstate")]
    [InlineData("infra/terraform.tfstate.backup")]
    [InlineData("secrets.json")]
    [InlineData(".aws/config")]
    [InlineData("home/.ssh/known_hosts")]
    [InlineData(".docker/config.json")]
    [InlineData("vault.kdbx")]
    [InlineData("service-account-prod.json")]
    [InlineData("kubeconfig")]
    [InlineData("SERVER.PEM")]
    [InlineData("a/b/.AWS/c/d.txt")]
    [InlineData("x/.docker/config.json")]
    [InlineData("deep/er/Master.Key")]
    [InlineData("deep/er/state.TFSTATE.old")]
    public void SecretLookingPaths_AreSecret(string path)
    {
        Assert.True(SecretFiles.IsSecret(path));
    }

    [Theory]
    [InlineData("appsettings.Production.json")]
    [InlineData("src/environment.ts")]
    [InlineData("docs/keys.md")]
    [InlineData("src/TokenService.cs")]
    [InlineData("package.json")]
    [InlineData("envoy.yaml")]
    [InlineData(".docker/sub/readme.md")]
    [InlineData("a.aws/b.txt")]
    [InlineData("x/aws/.awsx/file.txt")]
    [InlineData("docs/pem")]
    public void OrdinaryPaths_AreNotSecret(string path)
    {
        Assert.False(SecretFiles.IsSecret(path));
    }

    [Fact]
    public async Task SecretsInsideOrdinaryFiles_AreRedactedBeforeTheyReachTheContext()
    {
        using var dir = new TempDir();
        dir.Write("appsettings.Production.json", $$"""{ "Stripe": { "ApiKey": "{{Canary}}" }, "ConnectionStrings": { "Db": "Server=db;Password={{Canary}};" } }""");
        dir.Write("deploy/values.yaml", $"database:\n  password: {Canary}\n");
        dir.Write("src/Client.cs", $"const string Key = \"{"sk-" + "proj-" + Canary + "0123456789abcdef"}\";");

        var context = await new ProjectScanner().ScanAsync(dir.Path, CancellationToken.None);

        Assert.DoesNotContain(Canary, JsonSerializer.Serialize(context), StringComparison.Ordinal);
        Assert.Equal(4, context.RedactionCount);
        Assert.Equal(3, context.Files.Count);
        Assert.Empty(context.SecretFilesSkipped);
    }

    [Fact]
    public async Task SecretFiles_AreListedButTheirContentAppearsNowhereInTheContext()
    {
        using var dir = new TempDir();
        string[] secretFiles =
        [
            ".env", ".env.local", "id_rsa", "certs/server.pem", "credentials.json", ".aws/credentials",
            ".npmrc", "infra/terraform.tfstate", "service-account.json",
        ];
        foreach (var file in secretFiles)
        {
            dir.Write(file, $"value={Canary}\n");
        }
        dir.Write("src/app.cs", "class App {}");

        var context = await new ProjectScanner().ScanAsync(dir.Path, CancellationToken.None);

        var json = JsonSerializer.Serialize(context);
        Assert.DoesNotContain(Canary, json, StringComparison.Ordinal);
        Assert.Equal(secretFiles.Order(StringComparer.Ordinal), context.SecretFilesSkipped);
        Assert.Equal(["src/app.cs"], context.Files.Select(f => f.Path));
        Assert.All(secretFiles, f => Assert.Contains(f, context.Tree));
    }
}
