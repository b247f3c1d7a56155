using SpecSynth.Projects;

namespace SpecSynth.Tests.Projects;

public sealed class SecretRedactorTests
{
    // Built at run time so that secret scanners do not flag this file.
    private const string Body = "Q7wX2mZ9pL4kR8vN3bT6yH1cJ5dF0gS";
    private const string Canary = "c4n4ryV4lue9";

    public static TheoryData<string, string> TokenShapes => new()
    {
        { "anthropic", "key: " + "sk-" + "ant-api03-" + Body + "-AbC_12" },
        { "openai", "OPENAI = " + "sk-" + "proj-" + Body + Body },
        { "openai-legacy", "use " + "sk-" + Body + " now" },
        { "aws-key-id", "id " + "AK" + "IA" + "IOSFODNN7EXAMPLE" + " x" },
        { "aws-sts-key-id", "id " + "AS" + "IA" + "IOSFODNN7EXAMPL2" },
        { "github-classic", "token " + "gh" + "p_" + Body + "abcde" },
        { "github-oauth", "gh" + "o_" + Body + "abcde" },
        { "github-server", "gh" + "s_" + Body + "abcde" },
        { "github-user", "gh" + "u_" + Body + "abcde" },
        { "github-fine-grained", "github" + "_pat_" + "11ABCDEFG0" + Body + "_" + Body },
        { "slack-bot", "xo" + "xb-" + "1234567890-" + Body },
        { "slack-user", "xo" + "xp-" + "1234567890-" + Body },
        { "google", "AI" + "za" + "SyA1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q" },
        { "stripe-live", "sk" + "_live_" + Body },
        { "stripe-restricted", "rk" + "_live_" + Body },
        { "jwt", "eyJ" + "hbGciOiJIUzI1NiJ9" + "." + "eyJ" + "zdWIiOiIxMjM0In0" + "." + "dBjftJeZ4CVPmB92K27uhbUJU1p1r_wW1gFWFOEjXk" },
    };

    [Theory]
    [MemberData(nameof(TokenShapes))]
    public void KnownTokenShapes_AreRedacted(string name, string text)
    {
        var secret = text.Split(' ').OrderByDescending(w => w.Length).First();

        var redacted = SecretRedactor.Redact(text, out var count);

        Assert.True(count >= 1, name);
        Assert.DoesNotContain(secret, redacted, StringComparison.Ordinal);
        Assert.StartsWith(text[..text.IndexOf(secret, StringComparison.Ordinal)] + SecretRedactor.Marker, redacted, StringComparison.Ordinal);
    }

    [Fact]
    public void PrivateKeyBlocks_AreRedactedWhole()
    {
        foreach (var kind in new[] { "RSA PRIVATE KEY", "OPENSSH PRIVATE KEY", "EC PRIVATE KEY", "PRIVATE KEY", "ENCRYPTED PRIVATE KEY", "PGP PRIVATE KEY BLOCK" })
        {
            var text = $"before\n-----BEGIN {kind}-----\nMIIEow{Canary}IBAAKCAQEA\nline2\n-----END {kind}-----\nafter";

            var redacted = SecretRedactor.Redact(text, out var count);

            Assert.Equal($"before\n{SecretRedactor.Marker}\nafter", redacted);
            Assert.Equal(1, count);
        }
    }

    [Fact]
    public void PrivateKeyInsideJsonString_AndCutOffBlocks_AreRedacted()
    {
        var json = "{\"private_key\": \"-----BEGIN PRIVATE KEY-----\\nMII" + Canary + "\\n-----END PRIVATE KEY-----\\n\"}";
        var cut = "x\n-----BEGIN OPENSSH PRIVATE KEY-----\nb3Blbn" + Canary;

        Assert.DoesNotContain(Canary, SecretRedactor.Redact(json, "sa.json", out _), StringComparison.Ordinal);
        Assert.Equal("x\n" + SecretRedactor.Marker, SecretRedactor.Redact(cut, out _));
    }

    [Fact]
    public void PublicKeysAndCertificates_AreKept()
    {
        const string text = "-----BEGIN PUBLIC KEY-----\nMFkw\n-----END PUBLIC KEY-----\n-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----";

        Assert.Equal(text, SecretRedactor.Redact(text, out var count));
        Assert.Equal(0, count);
    }

    [Theory]
    [InlineData("Server=db;User Id=sa;Password=" + Canary + ";Encrypt=true", "Password=")]
    [InlineData("Host=db;Username=app;Pwd=" + Canary, "Pwd=")]
    [InlineData("var cs = \"Server=.;Password = " + Canary + ";\";", "Password = ")]
    [InlineData("postgres://app:" + Canary + "@db.internal:5432/app", "postgres://app:")]
    [InlineData("mongodb+srv://admin:" + Canary + "@cluster0.mongodb.net/test", "mongodb+srv://admin:")]
    [InlineData("redis://:" + Canary + "@cache:6379/0", "redis://:")]
    [InlineData("https://deploy:" + Canary + "@git.example.com/repo.git", "https://deploy:")]
    [InlineData("Authorization: Bearer " + Canary + "abcdefgh123", "Authorization: Bearer ")]
    [InlineData("aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRf" + Canary + "E", "aws_secret_access_key = ")]
    public void PasswordsInConnectionStringsUrlsAndHeaders_AreRedactedAndTheKeyKept(string text, string kept)
    {
        var redacted = SecretRedactor.Redact(text, out var count);

        Assert.DoesNotContain(Canary, redacted, StringComparison.Ordinal);
        Assert.Contains(kept + SecretRedactor.Marker, redacted, StringComparison.Ordinal);
        Assert.Equal(1, count);
    }

    [Theory]
    [InlineData("config.yaml", "api_key: " + Canary, "api_key: ")]
    [InlineData("config.yml", "db:\n  password: " + Canary + " # prod", "password: ")]
    [InlineData("settings.toml", "client_secret = \"" + Canary + "\"", "client_secret = \"")]
    [InlineData("app.ini", "passwd=" + Canary, "passwd=")]
    [InlineData("app.properties", "spring.datasource.password=" + Canary, "spring.datasource.password=")]
    [InlineData("deploy.sh", "export GITHUB_TOKEN=" + Canary, "GITHUB_TOKEN=")]
    [InlineData("Dockerfile", "ENV API_KEY=" + Canary, "API_KEY=")]
    [InlineData("appsettings.json", "{ \"ClientSecret\": \"" + Canary + "\" }", "\"ClientSecret\": \"")]
    [InlineData("appsettings.json", "{ \"Stripe\": { \"apiKey\": \"" + Canary + "\" } }", "\"apiKey\": \"")]
    [InlineData("web.config", "<add name=\"x\" password=\"" + Canary + "\" />", "password=\"")]
    [InlineData("web.config", "<add key=\"Stripe:ApiKey\" value=\"" + Canary + "\" />", "value=\"")]
    [InlineData("App.csproj", "<DbPassword>" + Canary + "</DbPassword>", "<DbPassword>")]
    [InlineData("Program.cs", "var xml = \"<client_secret>" + Canary + "</client_secret>\";", "<client_secret>")]
    [InlineData("Program.cs", "options.ApiKey = \"" + Canary + "\";", "options.ApiKey = \"")]
    [InlineData("main.go", "accessToken := \"" + Canary + "\"", "accessToken := \"")]
    [InlineData("app.py", "SECRET_KEY = '" + Canary + "'", "SECRET_KEY = '")]
    [InlineData("index.ts", "const cfg = { privateKey: `" + Canary + "` };", "privateKey: `")]
    [InlineData("Program.cs", "var c = new Creds { Password = @\"" + Canary + "\" };", "Password = @\"")]
    [InlineData("app.py", "mytoken_password = \"" + Canary + "\"", "mytoken_password = \"")]
    public void SecretLookingAssignments_AreRedactedAndTheKeyNameKept(string path, string text, string kept)
    {
        var redacted = SecretRedactor.Redact(text, path, out var count);

        Assert.DoesNotContain(Canary, redacted, StringComparison.Ordinal);
        Assert.Contains(kept + SecretRedactor.Marker, redacted, StringComparison.Ordinal);
        Assert.Equal(1, count);
    }

    [Theory]
    [InlineData("Service.cs", "var password = input.Password;")]
    [InlineData("Service.cs", "if (password == \"\") return;")]
    [InlineData("Service.cs", "Func<string, bool> check = password => password.Length > 8;")]
    [InlineData("Service.cs", "public async Task RunAsync(CancellationToken cancellationToken = default)")]
    [InlineData("Service.cs", "Console.Write(\"Password: \"); Console.Write(\"x\");")]
    [InlineData("Service.cs", "const string TokenHeader = \"X-Api-Token\";")]
    [InlineData("Service.cs", "var tokenizer = \"cl100k_base\";")]
    [InlineData("Settings.cs", "sb.Append(\", ApiKey = \").Append(ApiKey is null ? \"(none)\" : \"***\");")]
    [InlineData("theme.py", "Token: '#f8f8f2',\nToken.Keyword: \"bold #66d9ef\",")]
    [InlineData("report.json", "{ \"PWD\": \"/home/user/project\" }")]
    [InlineData("tokenize.py", "token_range = \"%d,%d-%d,%d:\" % (start + end)\nconfig = {'MODULE_PWD_STATE': 'yes'}")]
    [InlineData("specsynth.toml", "api_key_env = \"OPENAI_API_KEY\"\napi_key = \"ANTHROPIC_API_KEY\"")]
    [InlineData("guide.md", "Each action gets a token: `SetAction(async (result, ct) => 0)`.")]
    [InlineData("App.csproj", "<UserSecretsId>6d1c2a4e-1f7b-4f5e-9a0b-2c3d4e5f6a7b</UserSecretsId><TokenType>jwt</TokenType>")]
    [InlineData("app.py", "password = os.environ['DB_PASSWORD']")]
    [InlineData("README.md", "See https://example.com:8443/docs?q=1#x and git@github.com:org/repo.git")]
    [InlineData("README.md", "Fixed in commit 3f2a9c1d8e7b6a5f4e3d2c1b0a9f8e7d6c5b4a39.")]
    [InlineData("config.yaml", "password: ${DB_PASSWORD}\napi_key: <your-api-key>\ntoken: changeme\nsecret: \"\"")]
    [InlineData("config.yaml", "max_tokens: 4096\ntoken_url: https://login.example.com/token\nsecretName: db-creds")]
    [InlineData("appsettings.json", "{ \"ApiKey\": \"\", \"Password\": null, \"TokenLifetime\": \"00:05:00\" }")]
    [InlineData("Program.cs", "var cs = $\"Server=.;Password={password};\";")]
    [InlineData("index.html", "<img src=\"data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==\">")]
    [InlineData("notes.md", "The task-scheduler-for-background-jobs runs at risk-assessment time.")]
    [InlineData("auth.cs", "services.AddAuthentication(\"Bearer\").AddJwtBearer(o => o.Audience = \"api\");")]
    [InlineData("auth.cs", "// Sends Bearer AuthenticationOptionsBuilder tokens")]
    public void OrdinaryCodeAndPlaceholders_AreUnchanged(string path, string text)
    {
        var redacted = SecretRedactor.Redact(text, path, out var count);

        Assert.Equal(text, redacted);
        Assert.Equal(0, count);
    }

    [Fact]
    public void TokenInsideSecretAssignment_IsCountedOnce()
    {
        var text = "OPENAI_API_KEY=" + "sk-" + "proj-" + Body;

        var redacted = SecretRedactor.Redact(text, ".env.example", out var count);

        Assert.Equal("OPENAI_API_KEY=" + SecretRedactor.Marker, redacted);
        Assert.Equal(1, count);
    }

    [Fact]
    public void TextWithoutSecrets_IsReturnedAsTheSameInstance()
    {
        const string text = "namespace X; public sealed class Y { }";

        Assert.Same(text, SecretRedactor.Redact(text, out var count));
        Assert.Equal(0, count);
    }
}
