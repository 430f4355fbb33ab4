package com.cdp.bench.ingestion;

import com.cdp.bench.iam.FrontDoorBench;
import com.cdp.local.iam.FrontDoor;
import com.cdp.local.iam.IamMode;
import com.cdp.local.iam.IamPolicies;
import com.cdp.local.iam.IamReader;
import com.cdp.local.iam.LocalCredentials;
import com.cdp.local.iam.LocalCredentials.Credentials;
import com.cdp.local.template.CloudAssembly;
import com.cdp.local.template.LocalTemplate;
import com.cdp.testing.SharedStandIns;
import com.cdp.testing.StandIns;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The loader's throughput with IAM enforcement vs without (issue 15), in one run against one
 * dynalite: the loader's own write path ({@link LoaderThroughput#loader}: chunk lines -> rows ->
 * warehouse items -> {@code BatchWriter}, 8 calls in flight) signed as the loader's execution role
 * of the synthesized local template, through an IAM front door in {@code enforce} mode and through
 * one in {@code off} mode (which still proxies, so only the verification and policy evaluation
 * differ). Rounds alternate their order so a drifting background load favours neither. Usage:
 *
 * <pre>
 * java -cp ... com.cdp.bench.ingestion.LoaderIamThroughput REPO_ROOT [items] [rounds] [warm-up items] [control]
 * </pre>
 *
 * <p>The warm-up (default 20,000 items through each door) lets the JIT compile the enforcing door's
 * verification path (the SDK's signer, the JSON reader) before the rounds: a front door runs for
 * the whole of a {@code ./cdp local} session, so its steady state is what the ratio is about.
 * {@code control} runs both doors in {@code off} mode: the ratio of two identical doors shows this
 * machine's noise.
 */
public final class LoaderIamThroughput {
  private LoaderIamThroughput() {}

  public static void main(String[] args) throws Exception {
    Path repoRoot = Path.of(args[0]).toAbsolutePath();
    int n = args.length > 1 ? Integer.parseInt(args[1]) : 20_000;
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 5;
    int warmup = args.length > 3 ? Integer.parseInt(args[3]) : 20_000;
    boolean control = args.length > 4 && args[4].equals("control");
    Path assembly = repoRoot.resolve("infra-cdk/target/cdk-local");
    CloudAssembly.ensure(repoRoot, assembly);
    LocalTemplate template = CloudAssembly.read(assembly);
    IamPolicies policies = IamReader.read(assembly);
    String loader =
        template.functions().stream()
            .filter(f -> f.module().equals(Optional.of("lambda-txn-loader")))
            .findFirst()
            .orElseThrow()
            .name();
    String table =
        template.tables().stream()
            .map(LocalTemplate.Table::name)
            .filter(t -> t.endsWith("-warehouse"))
            .findFirst()
            .orElseThrow();
    StandIns standIns = SharedStandIns.get();
    URI dynalite = standIns.dynamoDbTarget().endpoint().orElseThrow();
    LocalCredentials credentials = LocalCredentials.load(Files.createTempDirectory("iam-bench"));
    try (FrontDoor enforce =
            FrontDoorBench.door(
                control ? IamMode.OFF : IamMode.ENFORCE,
                policies,
                template,
                credentials,
                dynalite);
        FrontDoor off =
            FrontDoorBench.door(IamMode.OFF, policies, template, credentials, dynalite)) {
      Credentials c = enforce.credentialsFor(loader).orElseThrow();
      try (DynamoDbClient viaEnforce = FrontDoorBench.client(enforce.endpoint(), c);
          DynamoDbClient viaOff = FrontDoorBench.client(off.endpoint(), c)) {
        LoaderThroughput.loader(viaEnforce, table, "warm-e", warmup, 8);
        LoaderThroughput.loader(viaOff, table, "warm-o", warmup, 8);
        if (control) {
          System.out.println("control: both doors are off; 'enforce' below is the first off door");
        }
        List<Double> ratios = new ArrayList<>();
        for (int round = 1; round <= rounds; round++) {
          double e;
          double o;
          if (round % 2 == 1) {
            e = LoaderThroughput.loader(viaEnforce, table, "e" + round, n, 8);
            o = LoaderThroughput.loader(viaOff, table, "o" + round, n, 8);
          } else {
            o = LoaderThroughput.loader(viaOff, table, "o" + round, n, 8);
            e = LoaderThroughput.loader(viaEnforce, table, "e" + round, n, 8);
          }
          ratios.add(e / o);
          System.out.printf(
              "round %d: loader path items/s  enforce %,.0f  off %,.0f  enforce/off %.2fx%n",
              round, e, o, e / o);
        }
        ratios.sort(Double::compare);
        System.out.printf(
            "enforce/off over %d paired rounds: median %.2fx (min %.2f, max %.2f); denied calls %d"
                + ", allowed (role, action, resource) %d%n",
            rounds,
            ratios.get(ratios.size() / 2),
            ratios.get(0),
            ratios.get(ratios.size() - 1),
            enforce.accessLog().deniedCount(),
            enforce.accessLog().used().size());
      }
    }
    System.exit(0);
  }
}
