# Warnings and hardening live on INTERFACE targets that each project target links.
add_library(codejudge_warnings INTERFACE)
target_compile_options(codejudge_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wcast-align -Wunused
  -Woverloaded-virtual -Wnull-dereference -Wimplicit-fallthrough
  $<$<BOOL:${CODEJUDGE_WERROR}>:-Werror>)

add_library(codejudge_hardening INTERFACE)
target_compile_options(codejudge_hardening INTERFACE
  -fstack-protector-strong -fstack-clash-protection -D_FORTIFY_SOURCE=2 -fPIE)
target_link_options(codejudge_hardening INTERFACE -pie -Wl,-z,relro,-z,now -Wl,-z,noexecstack)
