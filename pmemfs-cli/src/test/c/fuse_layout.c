/* Prints offsetof/sizeof of every libfuse3 and libc structure field dev.pmemfs.fuse.Layouts declares;
   FuseLayoutTest compiles it against /usr/include/fuse3 and compares. */
#define FUSE_USE_VERSION 35
#include <fuse_lowlevel.h>
#include <stdio.h>
#include <stddef.h>
#include <sys/statvfs.h>
#define O(s,f) printf(#s "." #f " %zu\n", offsetof(struct s, f))
#define S(s) printf(#s " %zu\n", sizeof(struct s))
int main(void){
  S(fuse_lowlevel_ops);
  O(fuse_lowlevel_ops,init);O(fuse_lowlevel_ops,destroy);O(fuse_lowlevel_ops,lookup);O(fuse_lowlevel_ops,forget);
  O(fuse_lowlevel_ops,getattr);O(fuse_lowlevel_ops,setattr);O(fuse_lowlevel_ops,readlink);O(fuse_lowlevel_ops,mknod);
  O(fuse_lowlevel_ops,mkdir);O(fuse_lowlevel_ops,unlink);O(fuse_lowlevel_ops,rmdir);O(fuse_lowlevel_ops,symlink);
  O(fuse_lowlevel_ops,rename);O(fuse_lowlevel_ops,link);O(fuse_lowlevel_ops,open);O(fuse_lowlevel_ops,read);
  O(fuse_lowlevel_ops,write);O(fuse_lowlevel_ops,flush);O(fuse_lowlevel_ops,release);O(fuse_lowlevel_ops,fsync);
  O(fuse_lowlevel_ops,opendir);O(fuse_lowlevel_ops,readdir);O(fuse_lowlevel_ops,releasedir);O(fuse_lowlevel_ops,fsyncdir);
  O(fuse_lowlevel_ops,statfs);O(fuse_lowlevel_ops,access);O(fuse_lowlevel_ops,create);O(fuse_lowlevel_ops,ioctl);
  O(fuse_lowlevel_ops,fallocate);O(fuse_lowlevel_ops,lseek);O(fuse_lowlevel_ops,forget_multi);O(fuse_lowlevel_ops,readdirplus);
  S(fuse_file_info);O(fuse_file_info,flags);O(fuse_file_info,fh);O(fuse_file_info,lock_owner);
  { struct fuse_file_info fi={0}; fi.direct_io=1; unsigned *w=(unsigned*)((char*)&fi+4); printf("direct_io word4 0x%x\n",*w);}
  { struct fuse_file_info fi={0}; fi.keep_cache=1; unsigned *w=(unsigned*)((char*)&fi+4); printf("keep_cache word4 0x%x\n",*w);}
  S(fuse_entry_param);O(fuse_entry_param,ino);O(fuse_entry_param,generation);O(fuse_entry_param,attr);O(fuse_entry_param,attr_timeout);O(fuse_entry_param,entry_timeout);
  S(fuse_ctx);O(fuse_ctx,uid);O(fuse_ctx,gid);O(fuse_ctx,pid);O(fuse_ctx,umask);
  S(stat);O(stat,st_ino);O(stat,st_nlink);O(stat,st_mode);O(stat,st_uid);O(stat,st_gid);O(stat,st_rdev);O(stat,st_size);O(stat,st_blksize);O(stat,st_blocks);O(stat,st_atim);O(stat,st_mtim);O(stat,st_ctim);
  S(statvfs);O(statvfs,f_bsize);O(statvfs,f_frsize);O(statvfs,f_blocks);O(statvfs,f_bfree);O(statvfs,f_bavail);O(statvfs,f_files);O(statvfs,f_ffree);O(statvfs,f_favail);O(statvfs,f_fsid);O(statvfs,f_flag);O(statvfs,f_namemax);
  S(fuse_args);O(fuse_args,argc);O(fuse_args,argv);O(fuse_args,allocated);
  S(fuse_buf);O(fuse_buf,size);O(fuse_buf,flags);O(fuse_buf,mem);O(fuse_buf,fd);O(fuse_buf,pos);
  S(fuse_conn_info);O(fuse_conn_info,capable);O(fuse_conn_info,want);O(fuse_conn_info,max_write);O(fuse_conn_info,max_read);O(fuse_conn_info,max_readahead);O(fuse_conn_info,max_background);
  printf("FUSE_SET_ATTR_MODE %d UID %d GID %d SIZE %d ATIME %d MTIME %d ATIME_NOW %d MTIME_NOW %d CTIME %d\n",FUSE_SET_ATTR_MODE,FUSE_SET_ATTR_UID,FUSE_SET_ATTR_GID,FUSE_SET_ATTR_SIZE,FUSE_SET_ATTR_ATIME,FUSE_SET_ATTR_MTIME,FUSE_SET_ATTR_ATIME_NOW,FUSE_SET_ATTR_MTIME_NOW,FUSE_SET_ATTR_CTIME);
  printf("FUSE_IOCTL_COMPAT %d UNRESTRICTED %d RETRY %d DIR %d\n",FUSE_IOCTL_COMPAT,FUSE_IOCTL_UNRESTRICTED,FUSE_IOCTL_RETRY,FUSE_IOCTL_DIR);
  printf("CAP_IOCTL_DIR 0x%x CAP_SPLICE 0x%x CAP_WRITEBACK 0x%x CAP_ASYNC_READ 0x%x CAP_PARALLEL_DIROPS 0x%x CAP_ASYNC_DIO 0x%x CAP_EXPORT 0x%x CAP_READDIRPLUS 0x%x CAP_READDIRPLUS_AUTO 0x%x CAP_AUTO_INVAL 0x%x CAP_SPLICE_READ 0x%x CAP_SPLICE_WRITE 0x%x CAP_SPLICE_MOVE 0x%x\n",FUSE_CAP_IOCTL_DIR,FUSE_CAP_SPLICE_READ,FUSE_CAP_WRITEBACK_CACHE,FUSE_CAP_ASYNC_READ,FUSE_CAP_PARALLEL_DIROPS,FUSE_CAP_ASYNC_DIO,FUSE_CAP_EXPORT_SUPPORT,FUSE_CAP_READDIRPLUS,FUSE_CAP_READDIRPLUS_AUTO,FUSE_CAP_AUTO_INVAL_DATA,FUSE_CAP_SPLICE_READ,FUSE_CAP_SPLICE_WRITE,FUSE_CAP_SPLICE_MOVE);
  return 0;}
