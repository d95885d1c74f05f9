using Infera.Trust;
using Infera.Verification;

namespace Infera.Jobs;

/// <summary>After every node is done: verification, the verified answer where one was asked for, reputation, storage.</summary>
public sealed partial class JobGrain
{
    private async Task SettleAsync()
    {
        var finished = _assignments.Where(a => a.Status == AssignmentStatuses.Completed).ToList();
        VerificationResult? result = null;
        if (Request.Canary?.ExpectedAnswer is { } expected && finished.Count > 0)
        {
            var a = finished[0];
            var verdict = await _deps.Verifier.VerifyAgainstReferenceAsync(
                expected,
                InputOf(a),
                new VerificationContext(Request.Model, Request.PromptKey, Id),
                CancellationToken.None);
            var agreed = verdict.Verdict == Verdicts.Agree;
            result = new VerificationResult(agreed, [verdict], [], agreed ? new HashSet<string>(StringComparer.Ordinal) { a.Id } : new HashSet<string>(StringComparer.Ordinal));
        }
        else if (_judged is { } judged && judged.Outputs == finished.Count)
        {
            result = judged.Result;
        }
        else if (finished.Count > 0)
        {
            var inputs = finished.Select(InputOf).ToList();
            result = await _deps.Verifier.VerifyAsync(inputs, new VerificationContext(Request.Model, Request.PromptKey, Id), CancellationToken.None);
        }

        if (Request.WaitForVerification)
        {
            DeliverVerifiedAnswer(finished, result);
        }

        _status = _clientState switch
        {
            ClientState.Completed => JobStatuses.Completed,
            ClientState.Cancelled => JobStatuses.Cancelled,
            _ => JobStatuses.Failed,
        };
        _endedAt = Now;
        _verification = result is null ? null : Explain(result, finished.Count);
        RecordVerification(result);

        if (_status != JobStatuses.Cancelled)
        {
            await RecordReputationAsync(result);
        }

        LogJobSettled(_logger, Id, _status, _verification?.Status ?? "none", _assignments.Count);
    }

    /// <summary>An output as the verifier sees it, with its node's say in the vote.</summary>
    private VerificationInput InputOf(Assignment a) => new(
        a.Id,
        a.Node.Address.Value,
        a.Output.ToString(),
        a.Result?.Seeded ?? false,
        a.Result?.FinishReason,
        Weight: Math.Max(0.05, a.Node.Reputation / 100),
        Established: a.Node.Trust.Verdicts >= _deps.Reputation.Policy.Options.EstablishedVerdicts);

    /// <summary>For a client that waits for the verdict: the primary's text if it agreed, else a member of the majority.</summary>
    private void DeliverVerifiedAnswer(List<Assignment> finished, VerificationResult? result)
    {
        var chosen = result is { Verified: true }
            ? finished.Where(a => result.AgreeingAssignments.Contains(a.Id)).OrderByDescending(a => a == _streaming).First()
            : finished.OrderByDescending(a => a == _streaming).FirstOrDefault();
        if (chosen is null)
        {
            FailClient(JobErrorCode.NodeFailure, "Every node that could run this job failed; retry shortly.");
            return;
        }

        _streaming = chosen;
        var text = chosen.Output.ToString();
        _sent.Append(text);
        _client.Writer.TryWrite(new TokenDelta(text));
        _clientState = ClientState.Completed;
        _completion = new JobCompleted(chosen.Result?.FinishReason ?? "stop", chosen.Result?.PromptTokens ?? 0, chosen.Result?.CompletionTokens ?? 0);
        _client.Writer.TryWrite(_completion);
    }

    private VerificationView Explain(VerificationResult result, int outputs)
    {
        var returned = _clientState == ClientState.Completed ? _streaming : null;
        var agreeing = result.AgreeingAssignments.Count;
        var explanation = Request.Canary?.ExpectedAnswer is not null
            ? $"Canary: the node's output was compared with the known answer: {result.Verdicts[0].Reason}."
            : _sampledOut
            ? "Adaptive verification: a trusted node's job, not sampled for replication; checked for replays only."
            : result.Verified
            ? $"{agreeing} of {outputs} outputs agree (similarity >= {_deps.Verifier.Threshold}); the rest disagree."
            : outputs < 2
                ? $"Only {outputs} output finished, so there was nothing to compare it with."
                : $"No majority: the largest agreeing group has {agreeing} of {outputs} outputs. Nobody is rewarded or slashed.";
        return new VerificationView(
            result.Verified ? VerificationStatuses.Verified : VerificationStatuses.Unverified,
            _deps.Verifier.Method,
            _deps.Verifier.Threshold,
            result.Verdicts,
            result.Similarities,
            returned?.Id,
            returned?.Node.Address.Value,
            returned is null || !result.Verified ? null : result.AgreeingAssignments.Contains(returned.Id),
            explanation);
    }

    private async Task RecordReputationAsync(VerificationResult? result)
    {
        var outcomes = new List<(Assignment Assignment, NodeOutcome Outcome)>();
        foreach (var verdict in result?.Verdicts ?? [])
        {
            var assignment = _assignments.First(a => a.Id == verdict.AssignmentId);
            // A disagreement stands even without a majority when it is hard evidence (a replay, a failed canary).
            var kind = verdict.Verdict switch
            {
                Verdicts.Agree => OutcomeKind.Agreed,
                Verdicts.Disagree => OutcomeKind.Disagreed,
                _ => OutcomeKind.Unverified,
            };
            var speed = kind == OutcomeKind.Agreed && TokensPerSecond(assignment) is { } tps ? _deps.SpeedNorms.Observe(Request.Model, tps) : (double?)null;
            var reason = (Request.Canary is null ? string.Empty : "canary: ") + (verdict.Reason ?? $"verdict {verdict.Verdict}, similarity {verdict.Score}");
            outcomes.Add((assignment, new NodeOutcome(Id, kind, reason, speed, Canary: Request.Canary is not null)));
        }

        foreach (var failed in _assignments.Where(a => a.Status == AssignmentStatuses.Failed))
        {
            outcomes.Add((failed, new NodeOutcome(Id, OutcomeKind.Failed, failed.Error ?? "failed")));
        }

        foreach (var (assignment, outcome) in outcomes)
        {
            var node = assignment.Node;
            var trust = await _deps.Reputation.Get(node.Address.Value).RecordAsync(outcome, node.UptimeAt(Now), CancellationToken.None);
            node.Trust = trust;
            if (trust.IsEjected && node.Status != Nodes.NodeStatus.Offline)
            {
                node.GoOffline("ejected: " + trust.EjectedReason);
            }
        }
    }

    /// <summary>Generation speed after the first token; null when too short to measure.</summary>
    private static double? TokensPerSecond(Assignment a) =>
        a is { Result.CompletionTokens: > 1, FirstTokenAt: { } first, EndedAt: { } ended } && ended - first > TimeSpan.FromMilliseconds(1)
            ? (a.Result.CompletionTokens - 1) / (ended - first).TotalSeconds
            : null;

    private Task SaveAsync() => _deps.Store.SaveAsync(Request.Tenant, ToView(), CancellationToken.None);

    private JobView ToView() => new(
        Id,
        JobView.ObjectName,
        _status,
        Request.Model,
        Request.Stream,
        CreatedAt,
        _endedAt,
        _completion?.FinishReason,
        _completion is { } c ? new UsageView(c.PromptTokens, c.CompletionTokens, c.PromptTokens + c.CompletionTokens) : null,
        _error is { } e ? new JobErrorView(ErrorCodes.Of(e.Code), e.Message) : null,
        _redundancy,
        [.. _assignments.Select(a => a.ToView())],
        _verification);
}
