// The account alias (iam:ListAccountAliases, for the header) is looked up only once the first metrics are in the
// store, and not in the same task as their dispatch: the frame is drawn after that task (React renders the store's
// change asynchronously), so the lookup never runs between the data's arrival and its
// frame. It is still looked up (the simulator speaks no IAM: "not readable", never an error).
import {test} from 'node:test';
import assert from 'node:assert/strict';
import type {AwsClients} from '../../source/aws/clients.ts';
import {createController} from '../../source/app/controller.ts';
import {createInitialState} from '../../source/store/reducer.ts';
import {createStore} from '../../source/store/store.ts';
import {withSim} from '../helpers/sim-clients.ts';

test('the alias lookup goes out after the first metrics reached the store, and answers', async () => {
  await withSim('throttled-orders', async (sim, clients) => {
    const now = () => sim.world.clock.now();
    const store = createStore(createInitialState({functionName: 'order-processor', now: now()}));
    const lookups: Array<{metricsInStore: boolean; inTheDataTask: boolean}> = [];
    // True from the dispatch that brought the first metrics until the end of that task.
    let inTheDataTask = false;
    let sawMetrics = false;
    const unsubscribe = store.subscribe(() => {
      if (sawMetrics || store.getState().dashboard?.metrics.updatedAt == null) return;
      sawMetrics = true;
      inTheDataTask = true;
      setImmediate(() => (inTheDataTask = false));
    });
    // The lookup goes over the lean reads (aws/lean-reads.ts listAccountAliases), as every dashboard read does.
    const reads = clients.reads!;
    const counting = Object.create(clients, {
      reads: {
        value: {
          ...reads,
          listAccountAliases: (options?: {abortSignal?: AbortSignal}) => {
            lookups.push({metricsInStore: store.getState().dashboard?.metrics.updatedAt != null, inTheDataTask});
            return reads.listAccountAliases(options);
          },
        },
      },
    }) as AwsClients;
    const controller = createController({clients: counting, store, functionName: 'order-processor', intervalMs: 60_000, now, readOnly: true, onQuit() {}});
    controller.start();
    try {
      for (let i = 0; i < 200 && store.getState().identity.alias.kind === 'pending'; i++) await new Promise((r) => setTimeout(r, 25));
      assert.equal(store.getState().identity.alias.kind, 'unreadable');
      assert.equal(lookups.length, 1);
      assert.deepEqual(lookups, [{metricsInStore: true, inTheDataTask: false}]);
    } finally {
      unsubscribe();
      await controller.stop();
    }
  });
});
