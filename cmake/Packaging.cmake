# The Debian package, built by CPack (scripts/package): qtchat_VERSION_ARCH.deb with what the
# install rules name (the qtchat executable and its data files, nothing from the tests,
# benchmarks or tools) and the Debian documentation below. Its library dependencies come from
# dpkg-shlibdeps (dpkg-dev); the others are named here.

# Installs FILE as DESTINATION/NAME compressed the way Debian policy asks for manual pages and
# changelogs: gzip -9, and no timestamp (-n) so that the same source gives the same package.
function(qtchat_install_gzipped file destination name)
    set(compressed ${CMAKE_CURRENT_BINARY_DIR}/${name})
    add_custom_command(OUTPUT ${compressed} COMMAND gzip -9 -n -c ${file} > ${compressed}
                       DEPENDS ${file} VERBATIM)
    string(MAKE_C_IDENTIFIER ${name} target)
    add_custom_target(qtchat_gzip_${target} ALL DEPENDS ${compressed})
    install(FILES ${compressed} DESTINATION ${destination})
endfunction()

set(QTCHAT_DEBIAN_DIR ${PROJECT_SOURCE_DIR}/resources/debian)
set(QTCHAT_PACKAGE_DOCDIR ${CMAKE_INSTALL_DATADIR}/doc/qtchat)
install(FILES ${QTCHAT_DEBIAN_DIR}/copyright DESTINATION ${QTCHAT_PACKAGE_DOCDIR})
qtchat_install_gzipped(${QTCHAT_DEBIAN_DIR}/changelog ${QTCHAT_PACKAGE_DOCDIR} changelog.gz)

# The maintainer is whoever signed the newest changelog entry.
file(STRINGS ${QTCHAT_DEBIAN_DIR}/changelog QTCHAT_CHANGELOG_SIGNATURE REGEX "^ -- " LIMIT_COUNT 1)
string(REGEX REPLACE "^ -- (.*>).*" "\\1" QTCHAT_PACKAGE_MAINTAINER "${QTCHAT_CHANGELOG_SIGNATURE}")

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME qtchat)
set(CPACK_PACKAGE_VENDOR "QtChat")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "threaded IRC-subset chat server and client")
# Paragraphs separated by an empty line; CPack indents them as the control file wants.
set(CPACK_PACKAGE_DESCRIPTION [=[
QtChat is a chat server you can watch: one listener hands each connection to
a thread per client, a pool of worker threads or a single thread, and the
desktop window shows the threads, the throughput and a live log while its
built-in client chats. A headless mode (qtchat --headless) runs the server
alone and stops cleanly on SIGTERM.

It speaks a strict subset of IRC, so irssi, WeeChat and HexChat can join a
QtChat server and QtChat's client can join other IRC servers. Optional TLS,
flood control and connection limits are included.

The interface is in English and Simplified Chinese; the translations are
built into the executable.]=])
set(CPACK_STRIP_FILES ON)

set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "${QTCHAT_PACKAGE_MAINTAINER}")
set(CPACK_DEBIAN_PACKAGE_SECTION net)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# What no linked library names: the window needs Qt's platform plugins and the server's
# history Qt SQL's SQLite driver (both plugins, loaded at run time); --database postgresql://
# needs the PostgreSQL driver; Chinese needs a CJK font and Qt's own translations (dialog
# buttons); links in the chat open with xdg-open.
set(CPACK_DEBIAN_PACKAGE_DEPENDS "qt6-qpa-plugins, libqt6sql6-sqlite")
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "fonts-noto-cjk, qt6-translations-l10n, xdg-utils")
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "libqt6sql6-psql")
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)

include(CPack)
