using System.Diagnostics;
using Infera.Telemetry;
using Infera.Verification;

namespace Infera.Jobs;

/// <summary>The job's span and metrics (see <see cref="JobInstruments"/>); absent instruments record nothing.</summary>
public sealed partial class JobGrain
{
    private bool IsCanary => Request.Canary is not null;

    /// <summary>Starts the job's span: a child of the caller's (the gateway's chat completion) when there is one.</summary>
    private Activity? StartActivity()
    {
        var activity = SiloTelemetry.ActivitySource.StartActivity("infera.job");
        activity?.SetTag("infera.job.id", Id)
            .SetTag("gen_ai.request.model", Request.Model)
            .SetTag("infera.job.canary", IsCanary);
        return activity;
    }

    private void RecordEnded(Activity? activity)
    {
        _deps.Instruments?.JobEnded(_status, _error?.Code, IsCanary, (_endedAt ?? Now) - CreatedAt, _completion?.CompletionTokens ?? 0);
        if (activity is null)
        {
            return;
        }

        activity.SetTag("infera.job.status", _status)
            .SetTag("infera.job.redundancy", _redundancy)
            .SetTag("infera.verification.status", _verification?.Status);
        if (_status == JobStatuses.Failed)
        {
            activity.SetStatus(ActivityStatusCode.Error, _error is { } e ? ErrorCodes.Of(e.Code) : null);
        }
    }

    /// <summary>Called before each delta goes to the client; records the time to the first one.</summary>
    private void RecordFirstToken()
    {
        if (_sent.Length == 0 && !IsCanary)
        {
            _deps.Instruments?.FirstTokenRelayed(Now - CreatedAt);
        }
    }

    private void RecordVerification(VerificationResult? result)
    {
        if (result is not null)
        {
            _deps.Instruments?.Verified(result, IsCanary);
        }
    }
}
