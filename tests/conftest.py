import sys
from pathlib import Path

# The fixture-notebook makers in tests/submissions.py are imported as a module.
sys.path.insert(0, str(Path(__file__).parent))
