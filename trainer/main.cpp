// codejudge-train: the embedded RL trainer (see docs/TRAINING.md).
#include "codejudge/trainer/trainer.h"

int main(int argc, char** argv) {
  return codejudge::trainer::train_main(argc, argv);
}
