// One shared ticking clock for every countdown on screen (one timer, not one per row).
let current = $state(Date.now());
let users = 0;
let timer: ReturnType<typeof setInterval> | undefined;

export const clock = {
  get now() {
    return current;
  },
};

/** Keeps the clock ticking while the calling component lives; use inside `$effect`. */
export function useTicking(): () => void {
  users += 1;
  if (users === 1) {
    current = Date.now();
    timer = setInterval(() => (current = Date.now()), 1000);
  }
  return () => {
    users -= 1;
    if (users === 0) clearInterval(timer);
  };
}
