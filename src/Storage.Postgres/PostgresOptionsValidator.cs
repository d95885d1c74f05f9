using Microsoft.Extensions.Options;
using Npgsql;

namespace Infera.Storage.Postgres;

/// <summary>Checks the PostgreSQL settings at start-up and reports every problem at once, naming the setting to change.</summary>
internal sealed class PostgresOptionsValidator : IValidateOptions<PostgresOptions>
{
    public ValidateOptionsResult Validate(string? name, PostgresOptions options)
    {
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            failures.Add($"{PostgresOptions.Section}:ConnectionString is required (e.g. Host=postgres;Username=infera;Password=...;Database=infera).");
        }
        else if (Problem(options.ConnectionString) is { } problem)
        {
            failures.Add($"{PostgresOptions.Section}:ConnectionString is not a valid Npgsql connection string: {problem}");
        }

        if (string.IsNullOrWhiteSpace(options.ProcessId))
        {
            failures.Add($"{PostgresOptions.Section}:ProcessId must not be empty.");
        }

        if (options.CommandTimeout <= TimeSpan.Zero)
        {
            failures.Add($"{PostgresOptions.Section}:CommandTimeout must be positive.");
        }

        if (options.SiloLease <= TimeSpan.Zero)
        {
            failures.Add($"{PostgresOptions.Section}:SiloLease must be positive.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static string? Problem(string connectionString)
    {
        try
        {
            var builder = new NpgsqlConnectionStringBuilder(connectionString);
            return string.IsNullOrWhiteSpace(builder.Host) ? "it names no Host." : null;
        }
        catch (ArgumentException ex)
        {
            return ex.Message;
        }
    }
}
